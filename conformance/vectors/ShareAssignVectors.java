// Writes test data for the simulator's share-group assignor: cases run through the pinned
// Kafka's own SimpleAssignor (the group coordinator's jar), as its TargetAssignmentBuilder calls
// it, for share groups whose members all subscribe to the same topics (the homogeneous builder)
// and, from seed 48 on, for groups whose members subscribe to different topics (the heterogeneous
// builder; members also change their subscriptions).
// Inputs are generated from fixed seeds, in chains (a group that grows past its partitions,
// shrinks, gains partitions and topics), so each case's current assignment is a previous
// target, as on a real broker.
//   scripts/assign848-vectors.sh (writes tests/data/share_assign_vectors.json)
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.assignor.SimpleAssignor;

public final class ShareAssignVectors {
    public static void main(String[] args) {
        VectorCases.begin(args);
        for (long seed = 0; seed < 48; seed++) {
            chain(seed, false);
        }
        for (long seed = 48; seed < 96; seed++) {
            chain(seed, true);
        }
        VectorCases.end();
    }

    static void chain(long seed, boolean hetero) {
        Random random = new Random(seed);
        SimpleAssignor assignor = new SimpleAssignor();
        LinkedHashMap<Uuid, Integer> topics = new LinkedHashMap<>();
        int topicCount = hetero ? 2 + random.nextInt(3) : 1 + random.nextInt(seed % 3 == 0 ? 1 : 3);
        for (int i = 0; i < topicCount; i++) {
            topics.put(new Uuid(random.nextLong(), random.nextLong()), 1 + random.nextInt(4));
        }
        List<VectorCases.Member> members = new ArrayList<>();
        int memberCount = 1 + random.nextInt(8);
        for (int i = 0; i < memberCount; i++) {
            members.add(newMember(random, topics, members, hetero));
        }
        for (int step = 0; step < 8; step++) {
            Map<String, Map<Uuid, Set<Integer>>> result = VectorCases.run(assignor, topics, members);
            // The next case starts from this target.
            for (VectorCases.Member m : members) {
                m.assigned.clear();
                Map<Uuid, Set<Integer>> target = result.getOrDefault(m.id, Map.of());
                for (Uuid t : topics.keySet()) {
                    Set<Integer> ps = target.get(t);
                    if (ps != null && !ps.isEmpty()) {
                        m.assigned.put(t, new ArrayList<>(new TreeSet<>(ps)));
                    }
                }
            }
            switch (random.nextInt(6)) {
                case 0, 1 -> members.add(newMember(random, topics, members, hetero));
                case 2 -> {
                    if (members.size() > 1) members.remove(random.nextInt(members.size()));
                }
                case 3 -> {
                    List<Uuid> ids = new ArrayList<>(topics.keySet());
                    Uuid t = ids.get(random.nextInt(ids.size()));
                    topics.put(t, topics.get(t) + 1 + random.nextInt(2));
                }
                case 4 -> {
                    Uuid t = new Uuid(random.nextLong(), random.nextLong());
                    topics.put(t, 1 + random.nextInt(3));
                    for (VectorCases.Member m : members) {
                        if (!hetero || random.nextBoolean()) m.topics.add(t);
                    }
                }
                default -> {
                    for (int i = 0; i < 3; i++) members.add(newMember(random, topics, members, hetero));
                }
            }
            if (hetero && random.nextInt(3) == 0) {
                // A member changes its subscription (it keeps its assignment until the next target).
                VectorCases.Member m = members.get(random.nextInt(members.size()));
                m.topics.clear();
                m.topics.addAll(VectorCases.subset(random, topics));
            }
        }
    }

    static VectorCases.Member newMember(Random random, LinkedHashMap<Uuid, Integer> topics, List<VectorCases.Member> members,
            boolean hetero) {
        VectorCases.Member m = new VectorCases.Member(new Uuid(random.nextLong(), random.nextLong()).toString());
        if (hetero) {
            m.topics.addAll(VectorCases.subset(random, topics));
            return m;
        }
        m.topics.addAll(members.isEmpty() ? new ArrayList<>(topics.keySet()) : members.get(0).topics);
        return m;
    }
}
