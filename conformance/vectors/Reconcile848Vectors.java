// Writes test data for the simulator's KIP-848 member reconciliation: random member states
// run through the pinned Kafka's own CurrentAssignmentBuilder (the group coordinator's jar),
// as GroupMetadataManager calls it on a heartbeat.
//   scripts/assign848-vectors.sh (writes tests/data/reconcile848_vectors.json)
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.metadata.PartitionRecord;
import org.apache.kafka.common.metadata.TopicRecord;
import org.apache.kafka.coordinator.common.runtime.KRaftCoordinatorMetadataImage;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.MemberState;
import org.apache.kafka.coordinator.group.modern.consumer.ConsumerGroupMember;
import org.apache.kafka.coordinator.group.modern.consumer.CurrentAssignmentBuilder;
import org.apache.kafka.image.MetadataDelta;
import org.apache.kafka.image.MetadataImage;
import org.apache.kafka.image.MetadataProvenance;

public final class Reconcile848Vectors {
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"kafka\": \"").append(args.length > 0 ? args[0] : "unknown").append("\",\n  \"cases\": [\n");
        Random random = new Random(848);
        String[] names = {"a", "b", "c"};
        Uuid[] ids = new Uuid[names.length];
        int[] counts = {3, 4, 2};
        MetadataDelta delta = new MetadataDelta.Builder().setImage(MetadataImage.EMPTY).build();
        for (int t = 0; t < names.length; t++) {
            ids[t] = new Uuid(random.nextLong(), random.nextLong());
            delta.replay(new TopicRecord().setName(names[t]).setTopicId(ids[t]));
            for (int p = 0; p < counts[t]; p++) {
                delta.replay(new PartitionRecord().setTopicId(ids[t]).setPartitionId(p)
                    .setReplicas(List.of(1)).setIsr(List.of(1)).setLeader(1).setLeaderEpoch(0).setPartitionEpoch(0));
            }
        }
        KRaftCoordinatorMetadataImage image = new KRaftCoordinatorMetadataImage(delta.apply(MetadataProvenance.EMPTY));
        MemberState[] states = {MemberState.STABLE, MemberState.UNREVOKED_PARTITIONS, MemberState.UNRELEASED_PARTITIONS};
        for (int c = 0; c < 400; c++) {
            int epoch = 1 + random.nextInt(5);
            MemberState state = states[random.nextInt(states.length)];
            List<String> subscribed = new ArrayList<>();
            for (String n : names) if (random.nextInt(3) > 0) subscribed.add(n);
            if (random.nextInt(8) == 0) subscribed.add("missing");
            Map<Uuid, Map<Integer, Integer>> assigned = new HashMap<>();
            Map<Uuid, Map<Integer, Integer>> pending = new HashMap<>();
            Map<Uuid, Set<Integer>> target = new HashMap<>();
            Map<Uuid, Set<Integer>> others = new HashMap<>();
            for (int t = 0; t < names.length; t++) {
                for (int p = 0; p < counts[t]; p++) {
                    int roll = random.nextInt(6);
                    if (roll == 0) assigned.computeIfAbsent(ids[t], k -> new HashMap<>()).put(p, Math.max(0, epoch - random.nextInt(2)));
                    else if (roll == 1 && state == MemberState.UNREVOKED_PARTITIONS) pending.computeIfAbsent(ids[t], k -> new HashMap<>()).put(p, epoch);
                    if (random.nextInt(3) == 0) target.computeIfAbsent(ids[t], k -> new java.util.HashSet<>()).add(p);
                    if (random.nextInt(4) == 0) others.computeIfAbsent(ids[t], k -> new java.util.HashSet<>()).add(p);
                }
            }
            int targetEpoch = random.nextInt(3) == 0 ? epoch : epoch + 1 + random.nextInt(2);
            boolean subscriptionChanged = random.nextInt(4) == 0;
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = null;
            if (random.nextInt(5) > 0) {
                owned = new ArrayList<>();
                for (int t = 0; t < names.length; t++) {
                    List<Integer> ps = new ArrayList<>();
                    for (int p = 0; p < counts[t]; p++) {
                        boolean has = assigned.getOrDefault(ids[t], Map.of()).containsKey(p)
                            || pending.getOrDefault(ids[t], Map.of()).containsKey(p);
                        if (has && random.nextInt(3) > 0) ps.add(p);
                    }
                    if (!ps.isEmpty()) owned.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(ids[t]).setPartitions(ps));
                }
            }
            ConsumerGroupMember member = new ConsumerGroupMember.Builder("m")
                .setMemberEpoch(epoch).setPreviousMemberEpoch(epoch - 1).setState(state)
                .setSubscribedTopicNames(subscribed)
                .setAssignedPartitions(assigned).setPartitionsPendingRevocation(pending).build();
            ConsumerGroupMember next = new CurrentAssignmentBuilder(member)
                .withMetadataImage(image)
                .withTargetAssignment(targetEpoch, new Assignment(target))
                .withHasSubscriptionChanged(subscriptionChanged)
                .withCurrentPartitionEpoch((topicId, partition) ->
                    others.getOrDefault(topicId, Set.of()).contains(partition) ? 1 : -1)
                .withOwnedTopicPartitions(owned)
                .build();
            if (c > 0) out.append(",\n");
            out.append("    {\"state\": \"").append(state).append("\", \"epoch\": ").append(epoch)
                .append(", \"subscribed\": ").append(strings(subscribed))
                .append(", \"assigned\": ").append(epochs(assigned)).append(", \"pending\": ").append(epochs(pending))
                .append(",\n     \"target_epoch\": ").append(targetEpoch).append(", \"target\": ").append(sets(target))
                .append(", \"others\": ").append(sets(others)).append(", \"subscription_changed\": ").append(subscriptionChanged)
                .append(", \"owned\": ").append(owned == null ? "null" : ownedJson(owned))
                .append(",\n     \"next\": {\"state\": \"").append(next.state()).append("\", \"epoch\": ").append(next.memberEpoch())
                .append(", \"previous_epoch\": ").append(next.previousMemberEpoch())
                .append(", \"assigned\": ").append(epochs(next.assignedPartitions()))
                .append(", \"pending\": ").append(epochs(next.partitionsPendingRevocation())).append("}}");
        }
        out.append("\n  ],\n  \"topics\": {");
        for (int t = 0; t < names.length; t++) {
            if (t > 0) out.append(", ");
            out.append('"').append(names[t]).append("\": \"").append(ids[t]).append('"');
        }
        out.append("}\n}\n");
        System.out.print(out);
    }

    static String strings(List<String> list) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) b.append(i > 0 ? ", " : "").append('"').append(list.get(i)).append('"');
        return b.append(']').toString();
    }

    static String epochs(Map<Uuid, Map<Integer, Integer>> map) {
        TreeMap<String, TreeMap<Integer, Integer>> sorted = new TreeMap<>();
        map.forEach((t, ps) -> { if (!ps.isEmpty()) sorted.put(t.toString(), new TreeMap<>(ps)); });
        StringBuilder b = new StringBuilder("{");
        int i = 0;
        for (var e : sorted.entrySet()) {
            b.append(i++ > 0 ? ", " : "").append('"').append(e.getKey()).append("\": [");
            int j = 0;
            for (var p : e.getValue().entrySet()) b.append(j++ > 0 ? ", " : "").append('[').append(p.getKey()).append(',').append(p.getValue()).append(']');
            b.append(']');
        }
        return b.append('}').toString();
    }

    static String sets(Map<Uuid, Set<Integer>> map) {
        TreeMap<String, TreeSet<Integer>> sorted = new TreeMap<>();
        map.forEach((t, ps) -> { if (!ps.isEmpty()) sorted.put(t.toString(), new TreeSet<>(ps)); });
        StringBuilder b = new StringBuilder("{");
        int i = 0;
        for (var e : sorted.entrySet()) b.append(i++ > 0 ? ", " : "").append('"').append(e.getKey()).append("\": ").append(e.getValue().toString().replace(" ", ""));
        return b.append('}').toString();
    }

    static String ownedJson(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < owned.size(); i++) {
            b.append(i > 0 ? ", " : "").append('"').append(owned.get(i).topicId()).append("\": ").append(owned.get(i).partitions().toString().replace(" ", ""));
        }
        return b.append('}').toString();
    }
}
