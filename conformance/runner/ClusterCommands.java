import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Utils;

/**
 * The simulator's broker commands on a real cluster started by {@code kafka-broker.sh start DIR 3c}
 * (brokers 1, 2 and 3, as the simulator numbers them, and a dedicated controller):
 * {@code broker stop N} is a controlled shutdown (SIGTERM), {@code broker crash N} a SIGKILL,
 * {@code broker start N} starts the node again on its data and waits until the controller has
 * it back. {@code broker add} checks that the cluster has that node already (the simulator
 * grows to the real cluster's size). {@code broker slow} has no real counterpart. After each
 * scenario every node runs again.
 */
final class ClusterCommands {
    private ClusterCommands() {}

    /** Whether a {@code broker ...} line is one of these. */
    static boolean handles(List<String> words) {
        return words.size() >= 2 && Set.of("add", "stop", "crash", "start", "slow").contains(words.get(1));
    }

    /** Brokers the simulator has made with {@code broker add} in this scenario (node 1 is there). */
    private static int added = 1;

    static void run(List<String> words, String bootstrap, Path clusterDir, Consumer<String> note,
            Consumer<String> skip) throws Exception {
        String sub = words.get(1);
        if (clusterDir == null) {
            skip.accept("broker " + sub + " needs a cluster of its own: the scenario needs '# cluster: 3'");
            return;
        }
        switch (sub) {
            case "add" -> {
                added++;
                Set<Integer> nodes = liveNodes(bootstrap);
                if (nodes.contains(added)) {
                    note.accept("# runner: node " + added + " is part of the cluster");
                } else {
                    skip.accept("the cluster has no node " + added);
                }
            }
            case "stop", "crash", "start" -> {
                if (words.size() != 3) {
                    note.accept("# runner: the simulator prints its usage");
                    return;
                }
                String id = words.get(2);
                String action = switch (sub) {
                    case "stop" -> "stop-node";
                    case "crash" -> "kill-node";
                    default -> "start-node";
                };
                script(action, clusterDir, id);
                if (sub.equals("start")) {
                    waitFor(bootstrap, Integer.parseInt(id), true);
                } else if (sub.equals("stop")) {
                    waitFor(bootstrap, Integer.parseInt(id), false);
                }
                note.accept("# runner: " + action + " " + id);
            }
            default -> skip.accept("broker slow has no real counterpart (a real broker's replication speed is its own)");
        }
    }

    /** Whether this scenario's group coordinator has been placed as the simulator places it. */
    private static boolean aligned = false;

    /**
     * Makes the broker that coordinates {@code group} the one the simulator names, before the
     * scenario's first consumer starts on three brokers. The simulator's group lives in
     * {@code __consumer_offsets} partition {@code abs(hash(group)) % 50}, whose replicas are
     * brokers 1, 2, 3 rotated left once per three partitions, read from p % 3 (its placer
     * starts at the first broker, Kafka's at a random one); the cluster here has one offsets
     * partition for every group ({@code offsets.topic.num.partitions=1}), so it is given
     * those replicas, the first leading (a preferred election). Made first if no group has
     * asked for a coordinator yet.
     */
    static void alignCoordinator(String bootstrap, String group) throws Exception {
        if (aligned || added != 3) {
            return;
        }
        aligned = true;
        int p = Utils.abs(group.hashCode()) % 50;
        List<Integer> order = new ArrayList<>(List.of(1, 2, 3));
        Collections.rotate(order, -(p / 3));
        List<Integer> wanted = List.of(order.get(p % 3), order.get((p + 1) % 3), order.get((p + 2) % 3));
        alignOffsetsTopic(bootstrap, group, wanted);
    }

    private static void alignOffsetsTopic(String bootstrap, String group, List<Integer> wanted) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        String topic = "__consumer_offsets";
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            TopicDescription description = null;
            while (description == null) {
                try {
                    admin.listConsumerGroupOffsets(group).all().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // The coordinator is loading: the topic is being made.
                }
                try {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(topic);
                    if (!d.partitions().isEmpty() && d.partitions().stream().allMatch(i -> i.leader() != null)) {
                        description = d;
                    }
                } catch (Exception e) {
                    // Not made yet.
                }
                if (description == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("__consumer_offsets was not made");
                    }
                    Thread.sleep(300);
                }
            }
            Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
            Set<TopicPartition> all = new HashSet<>();
            for (TopicPartitionInfo info : description.partitions()) {
                int p = info.partition();
                List<Integer> now = info.replicas().stream().map(Node::id).toList();
                TopicPartition tp = new TopicPartition(topic, p);
                all.add(tp);
                if (!now.equals(wanted)) {
                    moves.put(tp, Optional.of(new NewPartitionReassignment(wanted)));
                }
            }
            if (!moves.isEmpty()) {
                admin.alterPartitionReassignments(moves).all().get(30, TimeUnit.SECONDS);
                while (!admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS).isEmpty()) {
                    Thread.sleep(200);
                }
            }
            try {
                admin.electLeaders(ElectionType.PREFERRED, all).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // ElectionNotNeeded for the partitions already led by their first replica.
            }
            while (true) {
                List<TopicPartitionInfo> parts = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(topic).partitions();
                if (parts.stream().allMatch(i -> i.leader() != null && i.leader().id() == i.replicas().get(0).id())) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("__consumer_offsets did not take the simulator's leaders");
                }
                Thread.sleep(300);
            }
        }
    }

    /** Every node runs again, and the next scenario starts with one broker added. */
    static void restoreAll(String bootstrap, Path clusterDir) throws Exception {
        added = 1;
        aligned = false;
        if (clusterDir == null) {
            return;
        }
        for (int id = 1; id <= 3; id++) {
            script("start-node", clusterDir, String.valueOf(id));
        }
        for (int id = 1; id <= 3; id++) {
            waitFor(bootstrap, id, true);
        }
    }

    private static void script(String action, Path clusterDir, String id) throws Exception {
        Process process = new ProcessBuilder(Paths.get("scripts", "kafka-broker.sh").toString(), action,
                clusterDir.toString(), id).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("kafka-broker.sh " + action + " " + id + " failed");
        }
    }

    /** The brokers describeCluster lists (registered and unfenced). */
    private static Set<Integer> liveNodes(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Waits until node {@code id} is (or is no longer) among the live brokers. */
    private static void waitFor(String bootstrap, int id, boolean present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (liveNodes(bootstrap).contains(id) == present) {
                    return;
                }
            } catch (Exception e) {
                // A node of the bootstrap list is down: ask again.
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("node " + id + (present ? " did not come back" : " did not leave"));
    }
}
