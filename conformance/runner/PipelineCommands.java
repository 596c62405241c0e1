import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The simulator's {@code pipeline add NAME --from T --to U --group G [--exactly-once] [--rate R]},
 * {@code pipeline crash|start|stop NAME} on the real broker (issue 15): a consume-transform-
 * produce loop in its own thread, a KafkaConsumer in group G (client.id NAME, no auto-commit,
 * auto.offset.reset=earliest, max.poll.records=10, read_committed under exactly-once) and a
 * KafkaProducer (client.id NAME; transactional.id NAME under exactly-once). Each poll's records
 * are one batch; each record takes 1/R s (paced on the wall clock, as the runner plays a
 * consumer's rate) and then its value in capitals is sent to U. A batch ends with
 * {@code sendOffsetsToTransaction} and {@code commitTransaction} (exactly-once) or with
 * {@code flush} and {@code commitSync} (at-least-once).
 *
 * <p>{@code crash} abandons both clients where they are: the producer is neither aborted nor
 * closed (its open transaction stays open), the consumer closes without committing and without
 * leaving the group (its member stays until session.timeout.ms). {@code start} is a new
 * instance: a new producer whose initTransactions fences the old one and aborts what it left
 * open. {@code stop} aborts an open transaction, closes the producer, and the consumer leaves.
 */
final class PipelineCommands {
    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();
    private static final Map<String, Worker> WORKERS = new LinkedHashMap<>();
    /** Crashed instances' producers, closed between scenarios. */
    private static final List<KafkaProducer<String, String>> ABANDONED = new ArrayList<>();

    private PipelineCommands() {
    }

    record Spec(String name, String from, String to, String group, boolean exactlyOnce, double rate) {
    }

    /** Plays one {@code pipeline} line; what it adds to the transcript are comments. */
    static void play(String bootstrap, List<String> words, List<String> transcript) {
        if (words.size() < 2 || words.get(1).equals("list")) {
            transcript.add("# simulator pipeline list: nothing to play");
            return;
        }
        if (words.size() < 3) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String sub = words.get(1);
        String name = words.get(2);
        switch (sub) {
            case "add" -> {
                Map<String, String> options = new LinkedHashMap<>();
                boolean exactlyOnce = false;
                for (int i = 3; i < words.size(); i++) {
                    String word = words.get(i);
                    if (word.equals("--exactly-once")) {
                        exactlyOnce = true;
                    } else if (word.startsWith("--") && i + 1 < words.size()) {
                        options.put(word.substring(2), words.get(++i));
                    }
                }
                Spec spec = new Spec(name, options.get("from"), options.get("to"), options.get("group"), exactlyOnce,
                        Double.parseDouble(options.getOrDefault("rate", "0")));
                if (spec.from() == null || spec.to() == null || spec.group() == null || SPECS.containsKey(name)) {
                    transcript.add("# simulator refuses it: nothing to play");
                    return;
                }
                SPECS.put(name, spec);
                start(bootstrap, spec, transcript);
            }
            case "start" -> {
                Spec spec = SPECS.get(name);
                if (spec == null || WORKERS.containsKey(name)) {
                    transcript.add("# simulator refuses it: nothing to play");
                    return;
                }
                start(bootstrap, spec, transcript);
            }
            case "crash", "stop" -> {
                Worker worker = WORKERS.remove(name);
                if (worker == null) {
                    transcript.add("# simulator refuses it: nothing to play");
                    return;
                }
                worker.finish(sub.equals("crash"));
                transcript.add("# runner: pipeline " + name + " " + (sub.equals("crash") ? "crashed" : "stopped"));
            }
            default -> transcript.add("# simulator usage: nothing to play");
        }
    }

    private static void start(String bootstrap, Spec spec, List<String> transcript) {
        try {
            Worker worker = new Worker(bootstrap, spec);
            WORKERS.put(spec.name(), worker);
            worker.thread.start();
            transcript.add("# runner: pipeline " + spec.name() + " started (" + (spec.exactlyOnce() ? "exactly-once" : "at-least-once") + ")");
        } catch (Exception e) {
            transcript.add("# runner: pipeline " + spec.name() + " failed to start: " + e);
        }
    }

    /** Stops every pipeline and forgets them (between scenarios). */
    static void closeAll() {
        for (Worker worker : new ArrayList<>(WORKERS.values())) {
            worker.finish(false);
        }
        WORKERS.clear();
        SPECS.clear();
        for (KafkaProducer<String, String> producer : ABANDONED) {
            producer.close(Duration.ZERO);
        }
        ABANDONED.clear();
    }

    /** One instance of a pipeline. */
    static final class Worker {
        final Thread thread;
        private final Spec spec;
        private final KafkaConsumer<String, String> consumer;
        private final KafkaProducer<String, String> producer;
        private volatile boolean stopping;
        private volatile boolean crash;

        Worker(String bootstrap, Spec spec) {
            this.spec = spec;
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, spec.group());
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, spec.name());
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
            if (spec.exactlyOnce()) {
                c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            }
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, spec.name());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            if (spec.exactlyOnce()) {
                p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, spec.name());
            }
            producer = new KafkaProducer<>(p);
            if (spec.exactlyOnce()) {
                // As the simulator's: before the next command, so a restart's fencing and the
                // abort of what the crashed instance left open happen here.
                producer.initTransactions();
            }
            consumer = new KafkaConsumer<>(c);
            thread = new Thread(this::run, "pipeline-" + spec.name());
            thread.setDaemon(true);
        }

        /** Sleeps a record's processing time; false when the instance is told to end. */
        private boolean pace() {
            if (spec.rate() <= 0) {
                return !stopping;
            }
            long until = System.currentTimeMillis() + Math.round(1000 / spec.rate());
            while (!stopping && System.currentTimeMillis() < until) {
                Runner.sleepMs(Math.min(50, until - System.currentTimeMillis()));
            }
            return !stopping;
        }

        private void run() {
            boolean open = false;
            try {
                consumer.subscribe(List.of(spec.from()));
                while (!stopping) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
                    for (ConsumerRecord<String, String> record : records) {
                        if (!pace()) {
                            break;
                        }
                        if (spec.exactlyOnce() && !open) {
                            producer.beginTransaction();
                            open = true;
                        }
                        ProducerRecord<String, String> out = new ProducerRecord<>(spec.to(), record.key(),
                                record.value() == null ? null : record.value().toUpperCase(Locale.ROOT));
                        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
                        out.headers().add("source", source.getBytes(StandardCharsets.UTF_8));
                        producer.send(out);
                        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    if (stopping) {
                        break;
                    }
                    if (spec.exactlyOnce()) {
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                        producer.commitTransaction();
                        open = false;
                    } else {
                        producer.flush();
                        consumer.commitSync(offsets, Duration.ofSeconds(10));
                    }
                }
            } catch (Exception e) {
                System.err.println("runner: pipeline " + spec.name() + ": " + e);
            }
            if (crash) {
                // Abandoned: the producer is not aborted nor closed; the consumer commits
                // nothing (no auto-commit) and sends no LeaveGroup.
                synchronized (ABANDONED) {
                    ABANDONED.add(producer);
                }
                consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                        .withTimeout(Duration.ofSeconds(5)));
                return;
            }
            try {
                if (open) {
                    producer.abortTransaction();
                }
            } catch (Exception e) {
                System.err.println("runner: pipeline " + spec.name() + ": abort: " + e);
            }
            producer.close(Duration.ofSeconds(5));
            consumer.close(Duration.ofSeconds(5));
        }

        void finish(boolean asCrash) {
            crash = asCrash;
            stopping = true;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
