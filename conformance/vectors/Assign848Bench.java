// The consumer protocol's server-side assignors of the pinned Kafka (the group coordinator's
// UniformAssignor and RangeAssignor) at 2,000 members x one million partitions (500 topics x
// 2,000), every member subscribed to every topic, nothing assigned yet: the case the
// simulator's `cargo bench --bench engine -- assign848` runs, with the same topic ids
// (new Uuid(t + 1, 0x5EED)) and member ids (member-0000...). Prints the median and the
// fastest of ten timed runs after three warm-ups, per assignor. Run by
// scripts/assign848-bench.sh.

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Arrays;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.assignor.RangeAssignor;
import org.apache.kafka.coordinator.group.assignor.UniformAssignor;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.GroupSpecImpl;
import org.apache.kafka.coordinator.group.modern.MemberSubscriptionAndAssignmentImpl;

public final class Assign848Bench {
    public static void main(String[] args) {
        Set<Uuid> topics = new HashSet<>();
        Map<Uuid, Integer> partitions = new HashMap<>();
        for (long t = 0; t < 500; t++) {
            Uuid id = new Uuid(t + 1, 0x5EED);
            topics.add(id);
            partitions.put(id, 2000);
        }
        Map<String, MemberSubscriptionAndAssignmentImpl> specs = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            specs.put(String.format("member-%04d", i), new MemberSubscriptionAndAssignmentImpl(
                Optional.empty(), Optional.empty(), topics, new Assignment(Collections.emptyMap())));
        }
        SubscribedTopicDescriber describer = new SubscribedTopicDescriber() {
            public int numPartitions(Uuid topicId) { return partitions.getOrDefault(topicId, -1); }
            public Set<String> racksForPartition(Uuid topicId, int partition) { return Set.of(); }
        };
        GroupSpecImpl spec = new GroupSpecImpl(Collections.unmodifiableMap(specs),
            SubscriptionType.HOMOGENEOUS, Collections.emptyMap());
        for (ConsumerGroupPartitionAssignor assignor :
                new ConsumerGroupPartitionAssignor[] {new UniformAssignor(), new RangeAssignor()}) {
            for (int i = 0; i < 3; i++) {
                assignor.assign(spec, describer);
            }
            long[] nanos = new long[10];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                assignor.assign(spec, describer);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("java  %-8s 2000x1M fresh: median %.1f ms, fastest %.1f ms (10 runs after 3 warm-ups)%n",
                assignor.name(), nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6);
        }
    }
}
