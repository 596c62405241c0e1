import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The simulator's transaction commands played on the real broker (issue 15): a
 * {@code producer add <name> --transactional-id T [--config k=v]...} or {@code producer set}
 * is a real {@code KafkaProducer} with those configs (a new instance, as the simulator makes
 * one), {@code txn init|begin|commit|abort <name>} are its {@code initTransactions},
 * {@code beginTransaction}, {@code commitTransaction} and {@code abortTransaction}. A lost
 * request or acknowledgement ({@code producer fault}) and {@code txn send-offsets} (which needs
 * the consumer's thread) have no counterpart here: the scenario stops, not scored.
 *
 * <p>Runner calls {@link #handle} first for every simulator command; it returns whether the
 * command was one of these.
 */
final class TxnCommands {
    /** Each producer's configs as the scenario set them, to make a new instance on {@code producer set}. */
    private static final Map<String, Map<String, String>> CONFIGS = new LinkedHashMap<>();

    private final String bootstrap;
    private final Map<String, KafkaProducer<String, String>> producers;
    private final List<String> transcript;

    TxnCommands(String bootstrap, Map<String, KafkaProducer<String, String>> producers, List<String> transcript) {
        this.bootstrap = bootstrap;
        this.producers = producers;
        this.transcript = transcript;
    }

    boolean handle(List<String> words) {
        String name = words.get(0);
        if (name.equals("txn")) {
            txn(words);
            return true;
        }
        if (!name.equals("producer") || words.size() < 3) {
            return false;
        }
        String sub = words.get(1);
        List<String> rest = words.subList(2, words.size());
        boolean extendedAdd = sub.equals("add")
                && rest.stream().anyMatch(w -> w.startsWith("--transactional-id") || w.startsWith("--config"));
        if (sub.equals("fault")) {
            transcript.add("# skipped: producer fault loses requests or acknowledgements on demand; the real side cannot");
            return true;
        }
        if (!extendedAdd && !sub.equals("set")) {
            return false;
        }
        String producer = rest.get(0);
        Map<String, String> configs = sub.equals("add")
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(CONFIGS.getOrDefault(producer, Map.of()));
        for (int i = 1; i < rest.size(); i++) {
            String word = rest.get(i);
            String pair = null;
            if (word.equals("--transactional-id") && i + 1 < rest.size()) {
                pair = "transactional.id=" + rest.get(++i);
            } else if (word.equals("--config") && i + 1 < rest.size()) {
                pair = rest.get(++i);
            } else if (sub.equals("set") && word.contains("=")) {
                pair = word;
            }
            if (pair != null && pair.contains("=")) {
                int eq = pair.indexOf('=');
                configs.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        KafkaProducer<String, String> old = producers.remove(producer);
        if (old != null) {
            old.close(Duration.ofSeconds(5));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, producer);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putAll(configs);
        try {
            producers.put(producer, new KafkaProducer<>(props));
            CONFIGS.put(producer, configs);
            transcript.add("# runner: a KafkaProducer " + producer + " with " + configs);
        } catch (Exception e) {
            transcript.add("# runner: KafkaProducer refused its configs: " + rootMessage(e));
        }
        return true;
    }

    private void txn(List<String> words) {
        if (words.size() < 3) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String sub = words.get(1);
        KafkaProducer<String, String> producer = producers.get(words.get(2));
        if (sub.equals("send-offsets")) {
            transcript.add("# skipped: txn send-offsets needs the consumer's own thread; not played here");
            return;
        }
        if (producer == null) {
            transcript.add("# runner: no producer " + words.get(2) + "; nothing to play");
            return;
        }
        try {
            switch (sub) {
                case "init" -> producer.initTransactions();
                case "begin" -> producer.beginTransaction();
                case "commit" -> producer.commitTransaction();
                case "abort" -> producer.abortTransaction();
                default -> {
                    transcript.add("# simulator usage: nothing to play");
                    return;
                }
            }
            transcript.add("# runner: " + sub + " done");
        } catch (Exception e) {
            transcript.add("# runner: txn " + sub + " failed: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        List<String> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < 3; t = t.getCause()) {
            chain.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join(" <- ", chain);
    }
}
