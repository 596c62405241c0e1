import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The simulator's share-group commands on the real broker (KIP-932): {@code share-consumer
 * start NAME --group G --topic T [--rate R] [--config share.acknowledgement.mode=M]
 * [--fail-rate F] [--reject-rate F]} is a KafkaShareConsumer in its own thread (client.id
 * NAME) taking R records a second. In explicit mode it acknowledges each record RELEASE with
 * probability F, REJECT with the reject rate, ACCEPT otherwise (0 and 1 are exact; in between
 * the draws differ from the simulator's); in implicit mode (the default) it never calls
 * acknowledge() and its next poll accepts the batch, and a failure rate is refused as the
 * simulator refuses it. {@code share-consumer stop NAME} is close(): explicit mode sends the
 * acknowledgements and releases the rest, implicit mode releases the whole last batch. {@code share-consumer crash} has no counterpart
 * inside one JVM (the client's background thread would keep heartbeating): the scenario
 * stops there, not scored.
 */
final class ShareCommands {
    private static final Map<String, Worker> WORKERS = new LinkedHashMap<>();

    private ShareCommands() {
    }

    /** Plays one {@code share-consumer} line; what it adds to the transcript are comments. */
    static void play(String bootstrap, List<String> words, List<String> transcript) throws Exception {
        if (words.size() < 3) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String sub = words.get(1);
        String name = words.get(2);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 3; i + 1 < words.size(); i += 2) {
            options.put(words.get(i).replaceFirst("^--", ""), words.get(i + 1));
        }
        switch (sub) {
            case "start" -> {
                String mode = options.getOrDefault("config", "share.acknowledgement.mode=implicit")
                        .replaceFirst("^share\\.acknowledgement\\.mode=", "");
                boolean failures = Double.parseDouble(options.getOrDefault("fail-rate", "0")) > 0
                        || Double.parseDouble(options.getOrDefault("reject-rate", "0")) > 0;
                if (!mode.equals("explicit") && failures) {
                    transcript.add("# runner: acknowledge() in implicit mode throws IllegalStateException; the simulator refuses it too");
                    return;
                }
                Worker old = WORKERS.remove(name);
                if (old != null) {
                    old.finish();
                }
                Worker worker;
                try {
                    worker = new Worker(bootstrap, name, options);
                } catch (org.apache.kafka.common.config.ConfigException refused) {
                    transcript.add("# runner: " + refused.getMessage() + " (the simulator refuses it too)");
                    return;
                }
                WORKERS.put(name, worker);
                worker.thread.start();
                worker.awaitSubscribed();
            }
            case "stop" -> {
                Worker worker = WORKERS.remove(name);
                if (worker == null) {
                    transcript.add("# runner: no running share consumer " + name + "; the simulator refuses it too");
                    return;
                }
                worker.finish();
            }
            case "crash" -> transcript.add("# skipped: a share consumer cannot be crashed inside this JVM (its background thread keeps heartbeating)");
            default -> transcript.add("# simulator usage: nothing to play");
        }
    }

    /** Deletes every share group (between scenarios; deleteConsumerGroups leaves them). */
    static void deleteShareGroups(org.apache.kafka.clients.admin.Admin admin) {
        try {
            List<String> groups = admin.listGroups(org.apache.kafka.clients.admin.ListGroupsOptions.forShareGroups())
                    .all().get(10, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.clients.admin.GroupListing::groupId).toList();
            if (!groups.isEmpty()) {
                admin.deleteShareGroups(groups).all().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // A member still leaving: the cleanup loop tries again.
        }
    }

    /** Closes every share consumer (between scenarios). */
    static void closeAll() {
        for (Worker worker : new ArrayList<>(WORKERS.values())) {
            worker.finish();
        }
        WORKERS.clear();
    }

    /** One share consumer and its application. */
    static final class Worker {
        final Thread thread;
        private final KafkaShareConsumer<String, String> consumer;
        private final String topic;
        private final long pauseMs;
        private final double failRate;
        private final double rejectRate;
        private final boolean explicit;
        private final Random random = new Random(42);
        private volatile boolean stopping;
        private volatile boolean subscribed;

        Worker(String bootstrap, String name, Map<String, String> options) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, options.getOrDefault("group", name));
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            String mode = options.getOrDefault("config", "share.acknowledgement.mode=implicit")
                    .replaceFirst("^share\\.acknowledgement\\.mode=", "");
            explicit = mode.equals("explicit");
            props.put("share.acknowledgement.mode", mode);
            consumer = new KafkaShareConsumer<>(props);
            topic = options.getOrDefault("topic", "");
            double rate = Double.parseDouble(options.getOrDefault("rate", "20"));
            pauseMs = (long) (1000.0 / Math.max(rate, 0.001));
            failRate = Double.parseDouble(options.getOrDefault("fail-rate", "0"));
            rejectRate = Double.parseDouble(options.getOrDefault("reject-rate", "0"));
            thread = new Thread(this::run, "share-consumer-" + name);
            thread.setDaemon(true);
        }

        private AcknowledgeType decide() {
            double draw = failRate + rejectRate == 0 ? 1.0 : (failRate >= 1 ? 0.0 : random.nextDouble());
            if (draw < failRate) {
                return AcknowledgeType.RELEASE;
            }
            if (draw < failRate + rejectRate) {
                return AcknowledgeType.REJECT;
            }
            return AcknowledgeType.ACCEPT;
        }

        private void run() {
            consumer.subscribe(List.of(topic));
            subscribed = true;
            try {
                while (!stopping) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, String> record : records) {
                        if (stopping) {
                            break;
                        }
                        Runner.sleepMs(pauseMs);
                        if (stopping) {
                            // The simulator does not finish the record it was on either.
                            break;
                        }
                        if (explicit) {
                            consumer.acknowledge(record, decide());
                        }
                    }
                }
            } catch (Exception e) {
                // Closing: an acknowledgement left unsent is released by close().
            } finally {
                consumer.close(Duration.ofSeconds(10));
            }
        }

        void awaitSubscribed() {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!subscribed && System.currentTimeMillis() < deadline) {
                Runner.sleepMs(20);
            }
        }

        void finish() {
            stopping = true;
            try {
                thread.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
