// What the assignor vector generators share (Assign848Vectors, ShareAssignVectors): the
// members of a generated group, running an assignor as the group coordinator's
// TargetAssignmentBuilder calls it, and writing each case as JSON for the Rust tests
// (tests/common/server_vectors.rs reads them).
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
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.PartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.GroupSpecImpl;
import org.apache.kafka.coordinator.group.modern.MemberSubscriptionAndAssignmentImpl;

final class VectorCases {
    private VectorCases() {}

    /** A member in insertion order: its subscription and its current assignment (topic order kept). */
    static class Member {
        final String id;
        String instanceId;
        final List<Uuid> topics = new ArrayList<>();
        final LinkedHashMap<Uuid, List<Integer>> assigned = new LinkedHashMap<>();
        Member(String id) { this.id = id; }
    }

    static final StringBuilder out = new StringBuilder();
    static int cases = 0;

    /** Starts the JSON document for the pinned Kafka version in `args[0]`. */
    static void begin(String[] args) {
        out.append("{\n  \"kafka\": \"").append(args.length > 0 ? args[0] : "unknown")
            .append("\",\n  \"cases\": [\n");
    }

    /** Ends the document and prints it. */
    static void end() {
        out.append("\n  ]\n}\n");
        System.out.print(out);
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
    static Map<String, Map<Uuid, Set<Integer>>> run(PartitionAssignor assignor,
            LinkedHashMap<Uuid, Integer> topics, List<Member> members) {
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
