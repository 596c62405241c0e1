// Writes test data for the simulator's KIP-848 server-side assignors: cases run through the
// pinned Kafka's own UniformAssignor and RangeAssignor (the group coordinator's jar), as its
// TargetAssignmentBuilder calls them. Inputs are generated from fixed seeds, in chains (a group
// that grows, shrinks, gains partitions and changes subscriptions), so each case's current
// assignment is a previous target, as on a real broker.
//   scripts/assign848-vectors.sh (writes tests/data/assign848_vectors.json)
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.assignor.RangeAssignor;
import org.apache.kafka.coordinator.group.assignor.UniformAssignor;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.GroupSpecImpl;
import org.apache.kafka.coordinator.group.modern.MemberSubscriptionAndAssignmentImpl;

public final class Assign848Vectors {
    /** A member in insertion order: its subscription and its current assignment (topic order kept). */
    static final class Member {
        final String id;
        String instanceId;
        final List<Uuid> topics = new ArrayList<>();
        final LinkedHashMap<Uuid, List<Integer>> assigned = new LinkedHashMap<>();
        Member(String id) { this.id = id; }
    }

    static final StringBuilder out = new StringBuilder();
    static int cases = 0;

    public static void main(String[] args) {
        out.append("{\n  \"kafka\": \"").append(args.length > 0 ? args[0] : "unknown")
            .append("\",\n  \"cases\": [\n");
        for (long seed = 0; seed < 64; seed++) {
            chain(seed);
        }
        out.append("\n  ]\n}\n");
        System.out.print(out);
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
        List<Member> members = new ArrayList<>();
        int memberCount = 1 + random.nextInt(6);
        for (int i = 0; i < memberCount; i++) {
            members.add(newMember(random, topics, homogeneous, members));
        }
        for (int step = 0; step < 6; step++) {
            Map<String, Map<Uuid, Set<Integer>>> result = run(assignor, topics, members, homogeneous);
            // The next case starts from this target.
            for (Member m : members) {
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
                        for (Member m : members) m.topics.add(t);
                    } else {
                        members.get(random.nextInt(members.size())).topics.add(t);
                    }
                }
                default -> {
                    if (!homogeneous) {
                        Member m = members.get(random.nextInt(members.size()));
                        m.topics.clear();
                        m.topics.addAll(subset(random, topics));
                    } else {
                        members.add(newMember(random, topics, homogeneous, members));
                    }
                }
            }
        }
    }

    static Member newMember(Random random, LinkedHashMap<Uuid, Integer> topics, boolean homogeneous, List<Member> members) {
        Member m = new Member(new Uuid(random.nextLong(), random.nextLong()).toString());
        // A third of the members are static (group.instance.id), which the range assignor sorts first.
        if (random.nextInt(3) == 0) m.instanceId = "instance-" + random.nextInt(1000);
        for (Member other : members) {
            if (other.instanceId != null && other.instanceId.equals(m.instanceId)) m.instanceId = null;
        }
        if (homogeneous) {
            m.topics.addAll(members.isEmpty() ? new ArrayList<>(topics.keySet()) : members.get(0).topics);
        } else {
            m.topics.addAll(subset(random, topics));
        }
        return m;
    }

    static List<Uuid> subset(Random random, LinkedHashMap<Uuid, Integer> topics) {
        List<Uuid> chosen = new ArrayList<>();
        for (Uuid t : topics.keySet()) {
            if (random.nextBoolean()) chosen.add(t);
        }
        if (chosen.isEmpty()) {
            List<Uuid> ids = new ArrayList<>(topics.keySet());
            chosen.add(ids.get(random.nextInt(ids.size())));
        }
        return chosen;
    }

    /** Runs the assignor as TargetAssignmentBuilder.build does and writes the case. */
    static Map<String, Map<Uuid, Set<Integer>>> run(ConsumerGroupPartitionAssignor assignor,
            LinkedHashMap<Uuid, Integer> topics, List<Member> members, boolean homogeneous) {
        Map<String, MemberSubscriptionAndAssignmentImpl> specs = new HashMap<>();
        Map<Uuid, Map<Integer, String>> inverted = new HashMap<>();
        for (Member m : members) {
            Map<Uuid, Set<Integer>> partitions = new HashMap<>();
            for (Map.Entry<Uuid, List<Integer>> e : m.assigned.entrySet()) {
                Set<Integer> set = new HashSet<>();
                for (int p : e.getValue()) {
                    set.add(p);
                    inverted.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(p, m.id);
                }
                partitions.put(e.getKey(), Collections.unmodifiableSet(set));
            }
            Set<Uuid> subscribed = new HashSet<>(m.topics);
            specs.put(m.id, new MemberSubscriptionAndAssignmentImpl(Optional.empty(), Optional.ofNullable(m.instanceId),
                subscribed, new Assignment(Collections.unmodifiableMap(partitions))));
        }
        // As ModernGroup.subscriptionType decides: homogeneous when every member subscribes to
        // the same topics.
        boolean same = true;
        for (Member m : members) {
            same &= new HashSet<>(m.topics).equals(new HashSet<>(members.get(0).topics));
        }
        SubscriptionType type = same ? SubscriptionType.HOMOGENEOUS : SubscriptionType.HETEROGENEOUS;
        SubscribedTopicDescriber describer = new SubscribedTopicDescriber() {
            public int numPartitions(Uuid topicId) { return topics.getOrDefault(topicId, -1); }
            public Set<String> racksForPartition(Uuid topicId, int partition) { return Set.of(); }
        };
        GroupAssignment assignment = assignor.assign(
            new GroupSpecImpl(Collections.unmodifiableMap(specs), type, inverted), describer);
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        for (Map.Entry<String, MemberAssignment> e : assignment.members().entrySet()) {
            result.put(e.getKey(), e.getValue().partitions());
        }
        write(assignor.name(), type, topics, members, result);
        return result;
    }

    static void write(String assignor, SubscriptionType type, LinkedHashMap<Uuid, Integer> topics,
            List<Member> members, Map<String, Map<Uuid, Set<Integer>>> result) {
        if (cases++ > 0) out.append(",\n");
        out.append("    {\"assignor\": \"").append(assignor).append("\", \"subscription\": \"")
            .append(type.name().toLowerCase()).append("\",\n     \"topics\": [");
        int i = 0;
        for (Map.Entry<Uuid, Integer> t : topics.entrySet()) {
            if (i++ > 0) out.append(", ");
            out.append("{\"id\": \"").append(t.getKey()).append("\", \"partitions\": ").append(t.getValue()).append("}");
        }
        out.append("],\n     \"members\": [");
        i = 0;
        for (Member m : members) {
            if (i++ > 0) out.append(",\n                 ");
            out.append("{\"id\": \"").append(m.id).append("\", ");
            if (m.instanceId != null) out.append("\"instance\": \"").append(m.instanceId).append("\", ");
            out.append("\"topics\": [");
            int j = 0;
            for (Uuid t : m.topics) {
                if (j++ > 0) out.append(", ");
                out.append('"').append(t).append('"');
            }
            // The current target as [topic, partitions] pairs, in the order its map was filled.
            out.append("], \"assigned\": [");
            int k = 0;
            for (Map.Entry<Uuid, List<Integer>> e : m.assigned.entrySet()) {
                if (k++ > 0) out.append(", ");
                out.append("[\"").append(e.getKey()).append("\", ").append(e.getValue().toString().replace(" ", "")).append("]");
            }
            out.append("]}");
        }
        out.append("],\n     \"target\": {");
        i = 0;
        for (Member m : members) {
            if (i++ > 0) out.append(", ");
            Map<Uuid, Set<Integer>> target = result.getOrDefault(m.id, Map.of());
            LinkedHashMap<Uuid, List<Integer>> sorted = new LinkedHashMap<>();
            for (Uuid t : topics.keySet()) {
                Set<Integer> ps = target.get(t);
                if (ps != null && !ps.isEmpty()) sorted.put(t, new ArrayList<>(new TreeSet<>(ps)));
            }
            out.append('"').append(m.id).append("\": ").append(partitionsJson(sorted, topics));
        }
        out.append("}}");
    }

    static String partitionsJson(LinkedHashMap<Uuid, List<Integer>> partitions, LinkedHashMap<Uuid, Integer> topics) {
        StringBuilder b = new StringBuilder("{");
        int i = 0;
        for (Map.Entry<Uuid, List<Integer>> e : partitions.entrySet()) {
            if (i++ > 0) b.append(", ");
            b.append('"').append(e.getKey()).append("\": ").append(e.getValue().toString().replace(" ", ""));
        }
        return b.append("}").toString();
    }
}
