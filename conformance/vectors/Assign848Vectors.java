// Writes test data for the simulator's KIP-848 server-side assignors: cases run through the
// pinned Kafka's own UniformAssignor and RangeAssignor (the group coordinator's jar), as its
// TargetAssignmentBuilder calls them. Inputs are generated from fixed seeds, in chains (a group
// that grows, shrinks, gains partitions and changes subscriptions), so each case's current
// assignment is a previous target, as on a real broker.
//   scripts/assign848-vectors.sh (writes tests/data/assign848_vectors.json)
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.assignor.RangeAssignor;
import org.apache.kafka.coordinator.group.assignor.UniformAssignor;

public final class Assign848Vectors {
    public static void main(String[] args) {
        VectorCases.begin(args);
        for (long seed = 0; seed < 64; seed++) {
            chain(seed);
        }
        VectorCases.end();
    }

    static void chain(long seed) {
        Random random = new Random(seed);
        boolean uniform = seed % 2 == 0;
        boolean homogeneous = (seed / 2) % 2 == 0;
        ConsumerGroupPartitionAssignor assignor = uniform ? new UniformAssignor() : new RangeAssignor();
        LinkedHashMap<Uuid, Integer> topics = new LinkedHashMap<>();
        int topicCount = 1 + random.nextInt(4);
        for (int i = 0; i < topicCount; i++) {
            topics.put(new Uuid(random.nextLong(), random.nextLong()), 1 + random.nextInt(7));
        }
        List<VectorCases.Member> members = new ArrayList<>();
        int memberCount = 1 + random.nextInt(6);
        for (int i = 0; i < memberCount; i++) {
            members.add(newMember(random, topics, homogeneous, members));
        }
        for (int step = 0; step < 6; step++) {
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
            switch (random.nextInt(5)) {
                case 0 -> members.add(newMember(random, topics, homogeneous, members));
                case 1 -> {
                    if (members.size() > 1) members.remove(random.nextInt(members.size()));
                }
                case 2 -> {
                    List<Uuid> ids = new ArrayList<>(topics.keySet());
                    Uuid t = ids.get(random.nextInt(ids.size()));
                    topics.put(t, topics.get(t) + 1 + random.nextInt(3));
                }
                case 3 -> {
                    Uuid t = new Uuid(random.nextLong(), random.nextLong());
                    topics.put(t, 1 + random.nextInt(5));
                    if (homogeneous) {
                        for (VectorCases.Member m : members) m.topics.add(t);
                    } else {
                        members.get(random.nextInt(members.size())).topics.add(t);
                    }
                }
                default -> {
                    if (!homogeneous) {
                        VectorCases.Member m = members.get(random.nextInt(members.size()));
                        m.topics.clear();
                        m.topics.addAll(VectorCases.subset(random, topics));
                    } else {
                        members.add(newMember(random, topics, homogeneous, members));
                    }
                }
            }
        }
    }

    static VectorCases.Member newMember(Random random, LinkedHashMap<Uuid, Integer> topics, boolean homogeneous, List<VectorCases.Member> members) {
        VectorCases.Member m = new VectorCases.Member(new Uuid(random.nextLong(), random.nextLong()).toString());
        // A third of the members are static (group.instance.id), which the range assignor sorts first.
        if (random.nextInt(3) == 0) m.instanceId = "instance-" + random.nextInt(1000);
        for (VectorCases.Member other : members) {
            if (other.instanceId != null && other.instanceId.equals(m.instanceId)) m.instanceId = null;
        }
        if (homogeneous) {
            m.topics.addAll(members.isEmpty() ? new ArrayList<>(topics.keySet()) : members.get(0).topics);
        } else {
            m.topics.addAll(VectorCases.subset(random, topics));
        }
        return m;
    }
}
