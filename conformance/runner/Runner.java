import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.server.config.AbstractKafkaConfig;

/**
 * The real side of a conformance scenario: plays the project's console transcript format on a
 * real Kafka broker, in this one long-lived JVM.
 *
 * <p>{@code Runner --wait-ready BOOTSTRAP --brokers N --timeout-s S} waits until the cluster
 * answers describeCluster with N brokers. {@code Runner --bootstrap B --out DIR scenario.txt...}
 * plays each scenario and writes DIR/scenario.txt in the transcript shape: each {@code $ command}
 * line followed by what Kafka's tool printed. Kafka's tools run through their main classes with
 * their standard output and error captured per command and their exit procedures replaced, so a
 * tool's exit does not end this JVM. The simulator's own commands map onto Kafka's Java clients;
 * a command the real side cannot play is written as {@code # skipped: reason}. Between scenarios
 * every consumer is closed and every group and non-internal topic deleted.
 */
public final class Runner {
    /** Output written by the current thread (and threads it starts) goes to this buffer. */
    static final InheritableThreadLocal<Capture> CAPTURE = new InheritableThreadLocal<>();

    /** One command's output, with the shutdown hooks the tool registered. */
    static final class Capture {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        final List<Runnable> shutdownHooks = new ArrayList<>();
        /** Set when the tool's own thread called Exit: what that thread prints afterwards is dropped. */
        volatile Thread exited;
    }

    /** Drops everything written to it. */
    static final OutputStream DISCARD = OutputStream.nullOutputStream();

    /** Standard output and error: the capturing buffer of the thread, else the background log. */
    static final class RoutingStream extends OutputStream {
        private final OutputStream background;

        RoutingStream(OutputStream background) {
            this.background = background;
        }

        private OutputStream target() {
            Capture capture = CAPTURE.get();
            if (capture == null) {
                return background;
            }
            return capture.exited == Thread.currentThread() ? DISCARD : capture.buffer;
        }

        @Override
        public void write(int b) throws IOException {
            OutputStream target = target();
            synchronized (target) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            OutputStream target = target();
            synchronized (target) {
                target.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            target().flush();
        }
    }

    /** Thrown in place of Kafka's Exit.exit so a tool's exit ends only the tool. */
    static final class ToolExit extends RuntimeException {
        final int code;

        ToolExit(int code) {
            super("exit " + code, null, false, false);
            this.code = code;
        }
    }

    /** Kafka's tools by the name a user types (without a path or .sh). */
    static final Map<String, String> TOOLS = Map.of(
            "kafka-topics", "org.apache.kafka.tools.TopicCommand",
            "kafka-configs", "org.apache.kafka.tools.ConfigCommand",
            "kafka-console-producer", "org.apache.kafka.tools.ConsoleProducer",
            "kafka-console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "kafka-consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
            "kafka-get-offsets", "org.apache.kafka.tools.GetOffsetShell");

    /** The simulator's short names of Kafka's assignors. */
    static final Map<String, String> ASSIGNORS = Map.of(
            "range", "org.apache.kafka.clients.consumer.RangeAssignor",
            "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
            "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

    static final long TOOL_TIMEOUT_MS = 90_000;

    private final String bootstrap;
    private final Map<String, String> brokerSettings;
    /** The dynamic default broker configs the current scenario set (removed after it). */
    private final Set<String> dynamicBrokerConfigs = new TreeSet<>();
    private final Map<String, SimConsumer> consumers = new LinkedHashMap<>();
    private final Map<String, KafkaProducer<String, String>> producers = new LinkedHashMap<>();
    private List<String> transcript;

    Runner(String bootstrap, Map<String, String> brokerSettings) {
        this.bootstrap = bootstrap;
        this.brokerSettings = brokerSettings;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        List<String> files = new ArrayList<>();
        Map<String, String> brokerSettings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--broker-setting") && i + 1 < args.length) {
                String[] kv = args[++i].split("=", 2);
                brokerSettings.put(kv[0], kv.length > 1 ? kv[1] : "");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                files.add(args[i]);
            }
        }
        if (options.containsKey("--wait-ready")) {
            int brokers = Integer.parseInt(options.getOrDefault("--brokers", "1"));
            long timeoutS = Long.parseLong(options.getOrDefault("--timeout-s", "60"));
            System.exit(waitReady(options.get("--wait-ready"), brokers, timeoutS) ? 0 : 1);
        }
        String bootstrap = options.get("--bootstrap");
        Path out = Paths.get(options.getOrDefault("--out", "."));
        if (bootstrap == null || files.isEmpty()) {
            System.err.println("usage: Runner --bootstrap HOST:PORT --out DIR [--broker-setting k=v]... scenario.txt...");
            System.exit(2);
        }
        Files.createDirectories(out);
        PrintStream console = System.out;
        OutputStream background = new FileOutputStream(out.resolve("runner-background.log").toFile());
        System.setOut(new PrintStream(new RoutingStream(background), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new RoutingStream(background), true, StandardCharsets.UTF_8));
        Exit.setExitProcedure((code, message) -> exitTool(code));
        Exit.setHaltProcedure((code, message) -> exitTool(code));
        // A tool's shutdown hooks (closing its producer or consumer) run when the tool exits,
        // as they would when its JVM ends.
        Exit.setShutdownHookAdder((name, runnable) -> {
            Capture capture = CAPTURE.get();
            if (capture != null) {
                synchronized (capture.shutdownHooks) {
                    capture.shutdownHooks.add(runnable);
                }
            }
        });

        Runner runner = new Runner(bootstrap, brokerSettings);
        for (String file : files) {
            Path path = Paths.get(file);
            long started = System.nanoTime();
            List<String> lines = runner.play(Files.readAllLines(path, StandardCharsets.UTF_8));
            Files.write(out.resolve(path.getFileName()), lines, StandardCharsets.UTF_8);
            runner.cleanUp();
            console.printf("runner: played %s in %.1fs%n", path.getFileName(), (System.nanoTime() - started) / 1e9);
        }
        runner.closeProducers();
        console.flush();
        System.exit(0);
    }

    /** Kafka's Exit.exit in a tool: what the tool prints afterwards is dropped, as a real exit would. */
    static void exitTool(int code) {
        Capture capture = CAPTURE.get();
        if (capture != null) {
            System.out.flush();
            System.err.flush();
            capture.exited = Thread.currentThread();
        }
        throw new ToolExit(code);
    }

    /** Waits until describeCluster answers with the given number of brokers. */
    static boolean waitReady(String bootstrap, int brokers, long timeoutS) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                try {
                    int seen = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
                    if (seen >= brokers) {
                        System.err.println("runner: the cluster at " + bootstrap + " answers with " + seen + " broker(s)");
                        return true;
                    }
                } catch (Exception e) {
                    // Not up yet: try again.
                }
                sleepMs(300);
            }
        }
        return false;
    }

    /** Plays one scenario; returns its real transcript. */
    /** The simulator's commands no real command stands for, whatever their arguments. */
    static final Set<String> NEVER_PLAYED = Set.of("producer", "step", "reset", "seed", "records", "retention");

    List<String> play(List<String> scenario) {
        transcript = new ArrayList<>();
        transcript.add("# bootstrap: " + bootstrap);
        // A scenario that will stop at such a command is not scored: skip it before playing
        // (its waits would only cost time).
        for (String line : scenario) {
            if (line.startsWith("$ ")) {
                String name = line.substring(2).trim().split("\\s+")[0];
                if (NEVER_PLAYED.contains(name)) {
                    skipped("the simulator's command '" + name + "' has no real counterpart (seen before playing)");
                    return transcript;
                }
            }
        }
        for (int i = 0; i < scenario.size(); i++) {
            String line = scenario.get(i);
            if (!line.startsWith("$ ")) {
                continue;
            }
            String command = line.substring(2);
            StringBuilder stdin = new StringBuilder();
            int j = i + 1;
            while (j < scenario.size() && !scenario.get(j).startsWith("$ ")) {
                String next = scenario.get(j);
                if (next.startsWith(">")) {
                    // ">^D" is end of input (Ctrl-D); a lone ">" is an empty line, which the
                    // console producer sends as an empty record.
                    if (next.equals(">^D")) {
                        break;
                    }
                    stdin.append(next.substring(1)).append('\n');
                }
                j++;
            }
            transcript.add(line);
            List<String> words;
            try {
                words = ShellWords.split(command);
            } catch (IllegalArgumentException e) {
                transcript.add("# not played: " + e.getMessage());
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            try {
                runCommand(words, stdin.toString());
            } catch (Exception e) {
                transcript.add("# runner error: " + e);
            }
            if (transcript.get(transcript.size() - 1).startsWith("# skipped: ")) {
                // The rest would play on a broker in another state than the simulator's.
                break;
            }
        }
        return transcript;
    }

    private void skipped(String reason) {
        transcript.add("# skipped: " + reason);
    }

    private void runCommand(List<String> words, String stdin) throws Exception {
        String name = words.get(0);
        name = name.substring(name.lastIndexOf('/') + 1);
        if (name.endsWith(".sh")) {
            name = name.substring(0, name.length() - 3);
        }
        String toolClass = TOOLS.get(name);
        if (toolClass != null) {
            runTool(name, toolClass, words.subList(1, words.size()), stdin);
            return;
        }
        if (name.startsWith("kafka-")) {
            transcript.add("# not a tool: " + name);
            return;
        }
        switch (name) {
            case "consumer" -> consumerCommand(words);
            case "produce" -> produceCommand(words);
            case "clock" -> clockCommand(words);
            case "broker" -> brokerCommand(words);
            case "cleaner" -> cleanerCommand(words);
            case "help" -> transcript.add("# simulator help: nothing to play");
            default -> skipped("the simulator's command '" + name + "' has no real counterpart");
        }
    }

    /** Runs one of Kafka's tools in its own thread with its output captured. */
    private void runTool(String name, String toolClass, List<String> args, String stdin) throws Exception {
        List<String> toolArgs = new ArrayList<>();
        boolean hasBootstrap = args.stream().anyMatch(a -> a.equals("--bootstrap-server") || a.startsWith("--bootstrap-server="));
        if (!hasBootstrap) {
            // First, so that an option missing its argument does not take the address as one.
            toolArgs.add("--bootstrap-server");
            toolArgs.add(bootstrap);
        }
        boolean hasMaxMessages = false;
        boolean hasTimeout = false;
        boolean hasPartition = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--bootstrap-server") && i + 1 < args.size()) {
                toolArgs.add(arg);
                toolArgs.add(bootstrap);
                i++;
                continue;
            }
            if (arg.startsWith("--bootstrap-server=")) {
                toolArgs.add("--bootstrap-server=" + bootstrap);
                continue;
            }
            hasMaxMessages |= arg.equals("--max-messages") || arg.startsWith("--max-messages=");
            hasTimeout |= arg.equals("--timeout-ms") || arg.startsWith("--timeout-ms=");
            hasPartition |= arg.equals("--partition") || arg.startsWith("--partition=");
            toolArgs.add(arg);
        }
        boolean addedTimeout = false;
        if (name.equals("kafka-console-consumer") && !hasTimeout) {
            // Kafka's console consumer waits for --max-messages forever; the simulator stops
            // when it has read everything there is. A timeout lets the real one stop too.
            toolArgs.add("--timeout-ms");
            toolArgs.add(hasPartition ? "3000" : "7000");
            addedTimeout = true;
        }
        String output = captureTool(toolClass, toolArgs.toArray(new String[0]), stdin);
        List<String> lines = new ArrayList<>(List.of(output.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (addedTimeout && !hasMaxMessages && lines.stream().anyMatch(l -> l.startsWith("Processed a total of"))) {
            skipped("a console consumer without --max-messages keeps running; the simulator plays it in the background");
            return;
        }
        if (addedTimeout) {
            int before = lines.size();
            lines.removeIf(l -> l.contains("Error processing message, terminating consumer process")
                    || l.equals("org.apache.kafka.common.errors.TimeoutException")
                    || l.startsWith("\tat ") || l.startsWith("\t... "));
            if (lines.size() != before) {
                transcript.add("# runner: the console consumer stopped on the added --timeout-ms; Kafka's TimeoutException lines are left out");
            }
        }
        transcript.addAll(lines);
    }

    /** Calls a tool's main with its output captured; a timed-out tool is interrupted. */
    static String captureTool(String toolClass, String[] args, String stdin) throws Exception {
        Method main = Class.forName(toolClass).getMethod("main", String[].class);
        Capture capture = new Capture();
        ByteArrayOutputStream buffer = capture.buffer;
        InputStream previousIn = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        Thread thread = new Thread(() -> {
            CAPTURE.set(capture);
            try {
                main.invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof ToolExit)) {
                    System.err.println("Exception in thread \"main\" " + cause);
                }
            } catch (ToolExit e) {
                // The tool exited; its output is in the buffer.
            } catch (Exception e) {
                System.err.println("runner: " + e);
            } finally {
                System.out.flush();
                System.err.flush();
            }
        }, "tool-" + toolClass);
        thread.start();
        thread.join(TOOL_TIMEOUT_MS);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(5000);
            synchronized (buffer) {
                buffer.write(("# runner: the tool did not finish within " + TOOL_TIMEOUT_MS + " ms\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Runnable> hooks;
        synchronized (capture.shutdownHooks) {
            hooks = new ArrayList<>(capture.shutdownHooks);
        }
        for (Runnable hook : hooks) {
            Thread hookThread = new Thread(() -> {
                CAPTURE.set(capture);
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    // A hook that fails ends like one at JVM exit: silently.
                }
            }, "tool-shutdown-hook");
            hookThread.start();
            hookThread.join(30_000);
        }
        System.setIn(previousIn);
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    // ---- The simulator's own commands, on Kafka's clients. ----

    private void consumerCommand(List<String> words) throws Exception {
        if (words.size() < 3) {
            skipped("consumer " + String.join(" ", words.subList(1, words.size())) + " has no real counterpart");
            return;
        }
        String sub = words.get(1);
        String id = words.get(2);
        switch (sub) {
            case "start" -> {
                String group = null;
                List<String> topics = new ArrayList<>();
                Properties props = new Properties();
                double rate = 0;
                for (int i = 3; i + 1 < words.size(); i += 2) {
                    String option = words.get(i);
                    String value = words.get(i + 1);
                    switch (option) {
                        case "--group" -> group = value;
                        case "--topic" -> topics.addAll(List.of(value.split(",")));
                        case "--config" -> {
                            String[] kv = value.split("=", 2);
                            if (kv.length != 2) {
                                skipped("consumer config " + value + " is not k=v");
                                return;
                            }
                            if (kv[0].equals("processing.rate")) {
                                rate = Double.parseDouble(kv[1]);
                            } else if (kv[0].equals(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)) {
                                props.put(kv[0], List.of(kv[1].split(",")).stream()
                                        .map(s -> ASSIGNORS.getOrDefault(s.trim(), s.trim()))
                                        .collect(Collectors.joining(",")));
                            } else {
                                props.put(kv[0], kv[1]);
                            }
                        }
                        default -> {
                            skipped("consumer start option " + option + " is not played");
                            return;
                        }
                    }
                }
                if (group == null || topics.isEmpty()) {
                    skipped("consumer start without --group and --topic is not played");
                    return;
                }
                props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                props.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
                props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                SimConsumer consumer = new SimConsumer(id, props, topics, rate);
                consumers.put(id, consumer);
                consumer.start();
            }
            case "stop", "crash" -> {
                SimConsumer consumer = consumers.remove(id);
                if (consumer == null) {
                    transcript.add("# runner: no consumer " + id);
                    return;
                }
                consumer.finish(sub.equals("crash"));
            }
            default -> skipped("consumer " + sub + " is not played on the real broker");
        }
    }

    private void produceCommand(List<String> words) throws Exception {
        if (words.size() < 3) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String topic = words.get(1);
        List<String> values = new ArrayList<>();
        String key = null;
        Integer partition = null;
        String producerName = "console-producer";
        List<String[]> headers = new ArrayList<>();
        for (int i = 2; i < words.size(); i++) {
            String word = words.get(i);
            String inline = null;
            String option = word;
            if (word.startsWith("--") && word.contains("=")) {
                option = word.substring(0, word.indexOf('='));
                inline = word.substring(word.indexOf('=') + 1);
            }
            if (option.startsWith("--")) {
                String value = inline != null ? inline : (i + 1 < words.size() ? words.get(++i) : "");
                switch (option) {
                    case "--key" -> key = value;
                    case "--partition" -> partition = Integer.parseInt(value);
                    case "--producer" -> producerName = value;
                    case "--header" -> headers.add(value.split("=", 2));
                    default -> {
                        skipped("produce option " + option + " is not played");
                        return;
                    }
                }
            } else {
                values.add(word);
            }
        }
        KafkaProducer<String, String> producer = producers.get(producerName);
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, producerName);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(props);
            producers.put(producerName, producer);
        }
        for (String value : values) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, key, value);
            for (String[] header : headers) {
                record.headers().add(header[0], (header.length > 1 ? header[1] : "").getBytes(StandardCharsets.UTF_8));
            }
            try {
                producer.send(record).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                transcript.add("# runner: produce failed: " + e);
            }
        }
    }

    private void clockCommand(List<String> words) {
        if (words.size() < 3 || !words.get(1).equals("advance")) {
            return;
        }
        long ms = durationMs(words.get(2));
        if (ms < 0) {
            skipped("clock advance " + words.get(2) + " is not a duration");
            return;
        }
        sleepMs(ms);
    }

    /** The simulator's durations: 5s, 500ms, 2m, 1h, or a bare count of 100 ms ticks. */
    static long durationMs(String text) {
        try {
            if (text.endsWith("ms")) {
                return Long.parseLong(text.substring(0, text.length() - 2));
            }
            if (text.endsWith("s")) {
                return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000);
            }
            if (text.endsWith("m")) {
                return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 60_000);
            }
            if (text.endsWith("h")) {
                return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 3_600_000);
            }
            return Long.parseLong(text) * 100;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The simulator's {@code broker set k=v}. A setting the broker was started with (the
     * scenario's {@code # broker: k=v} directive) needs nothing; one Kafka does not have, or a
     * value Kafka's own definition of broker configs refuses, is refused by the simulator too
     * (with the same message), so nothing is played; a valid value is played as the cluster's
     * dynamic default broker config where Kafka allows that, and a static config stops the
     * scenario with the directive it needs.
     */
    private void brokerCommand(List<String> words) throws Exception {
        if (words.size() != 3 || !words.get(1).equals("set") || !words.get(2).contains("=")) {
            transcript.add("# runner: not a broker setting; the simulator prints its usage");
            return;
        }
        String[] kv = words.get(2).split("=", 2);
        String key = kv[0];
        String value = kv[1];
        if (value.equals(brokerSettings.get(key))) {
            transcript.add("# runner: the broker was started with " + words.get(2));
            return;
        }
        ConfigDef.ConfigKey definition = AbstractKafkaConfig.CONFIG_DEF.configKeys().get(key);
        if (definition == null) {
            transcript.add("# runner: Kafka has no broker config " + key + "; the simulator refuses it too");
            return;
        }
        try {
            ConfigDef.parseType(key, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(key, ConfigDef.parseType(key, value, definition.type));
            }
        } catch (ConfigException e) {
            transcript.add("# runner: Kafka refuses it too: " + e.getMessage());
            return;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            ConfigResource defaults = new ConfigResource(ConfigResource.Type.BROKER, "");
            admin.incrementalAlterConfigs(Map.of(defaults,
                    List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            dynamicBrokerConfigs.add(key);
            transcript.add("# runner: played as the dynamic default broker config " + words.get(2));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof InvalidRequestException
                    && String.valueOf(e.getCause().getMessage()).startsWith("Cannot update these configs dynamically")) {
                skipped(key + " is a static broker config: the scenario needs '# broker: " + words.get(2)
                        + "' above its first command, so that its broker starts with it");
            } else {
                skipped("Kafka refused the dynamic broker config " + words.get(2) + ": " + e.getCause());
            }
        }
    }

    /**
     * The simulator's {@code cleaner run}: the broker's log cleaner runs on its own schedule,
     * so it can only be played when there is nothing to compact: no topic on the broker has
     * {@code cleanup.policy} with {@code compact}.
     */
    private void cleanerCommand(List<String> words) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false))
                    .names().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                    .collect(Collectors.toList());
            boolean compacted = !resources.isEmpty() && admin.describeConfigs(resources).all()
                    .get(30, TimeUnit.SECONDS).values().stream()
                    .map(config -> config.get("cleanup.policy"))
                    .anyMatch(entry -> entry != null && entry.value() != null && entry.value().contains("compact"));
            if (compacted) {
                skipped("the log cleaner runs on the broker's own schedule: " + String.join(" ", words)
                        + " cannot be played while a topic is compacted");
            } else {
                transcript.add("# runner: no compacted topic, so the log cleaner has nothing to do on either side");
            }
        }
    }

    /** Removes the dynamic default broker configs a scenario set. */
    private void resetDynamicBrokerConfigs(Admin admin) throws Exception {
        if (dynamicBrokerConfigs.isEmpty()) {
            return;
        }
        ConfigResource defaults = new ConfigResource(ConfigResource.Type.BROKER, "");
        List<AlterConfigOp> deletes = dynamicBrokerConfigs.stream()
                .map(k -> new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE))
                .collect(Collectors.toList());
        admin.incrementalAlterConfigs(Map.of(defaults, deletes)).all().get(30, TimeUnit.SECONDS);
        dynamicBrokerConfigs.clear();
    }

    // ---- Between scenarios. ----

    private void closeProducers() {
        for (KafkaProducer<String, String> producer : producers.values()) {
            producer.close(Duration.ofSeconds(5));
        }
        producers.clear();
    }

    /** Closes every client and deletes every group and non-internal topic. */
    void cleanUp() throws Exception {
        for (SimConsumer consumer : consumers.values()) {
            consumer.finish(false);
        }
        consumers.clear();
        closeProducers();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            resetDynamicBrokerConfigs(admin);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Set<String> groups = admin.listGroups().all().get(10, TimeUnit.SECONDS).stream()
                        .map(GroupListing::groupId).collect(Collectors.toCollection(TreeSet::new));
                Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false))
                        .names().get(10, TimeUnit.SECONDS);
                if (groups.isEmpty() && topics.isEmpty()) {
                    return;
                }
                if (!groups.isEmpty()) {
                    for (String group : groups) {
                        try {
                            // Static members stay after close() until their session times out.
                            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions())
                                    .all().get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            // No members, or not a consumer group: delete it all the same.
                        }
                    }
                    try {
                        admin.deleteConsumerGroups(groups).all().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // A group whose members are still leaving: try again.
                    }
                }
                if (!topics.isEmpty()) {
                    try {
                        admin.deleteTopics(topics).all().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // Being deleted already: try again.
                    }
                }
                sleepMs(200);
            }
            System.err.println("runner: could not clean up the broker between scenarios");
        }
    }

    static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A group member the simulator calls `consumer start`: a KafkaConsumer in its own thread. */
    static final class SimConsumer {
        private final String id;
        private final Properties props;
        private final List<String> topics;
        private final double recordsPerSecond;
        private volatile boolean stopping;
        private volatile boolean crash;
        private final Thread thread;

        SimConsumer(String id, Properties props, List<String> topics, double recordsPerSecond) {
            this.id = id;
            this.props = props;
            this.topics = topics;
            this.recordsPerSecond = recordsPerSecond;
            this.thread = new Thread(this::run, "consumer-" + id);
        }

        void start() {
            thread.start();
        }

        private void run() {
            CAPTURE.set(null);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(topics);
                while (!stopping) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    if (recordsPerSecond > 0 && !records.isEmpty()) {
                        long ms = Math.round(records.count() * 1000 / recordsPerSecond);
                        long until = System.currentTimeMillis() + ms;
                        while (!stopping && System.currentTimeMillis() < until) {
                            sleepMs(Math.min(50, until - System.currentTimeMillis()));
                        }
                    }
                }
                if (crash) {
                    // A crash commits nothing: move each position back to the committed offset,
                    // so the auto-commit in close() writes nothing new, and send no LeaveGroup.
                    Set<TopicPartition> assigned = consumer.assignment();
                    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(5));
                    for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                        if (entry.getValue() != null) {
                            consumer.seek(entry.getKey(), entry.getValue().offset());
                        }
                    }
                    consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                            .withTimeout(Duration.ofSeconds(5)));
                }
            } catch (Exception e) {
                System.err.println("runner: consumer " + id + ": " + e);
            }
        }

        void finish(boolean asCrash) throws InterruptedException {
            crash = asCrash;
            stopping = true;
            thread.join(30_000);
        }
    }

    /** Splits a line into words as a POSIX shell does (quotes and backslashes). */
    static final class ShellWords {
        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unterminated single quote");
                    }
                    word.append(line, i + 1, end);
                    i = end;
                    inWord = true;
                } else if (c == '"') {
                    int j = i + 1;
                    while (j < line.length() && line.charAt(j) != '"') {
                        char d = line.charAt(j);
                        if (d == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
                            word.append(line.charAt(j + 1));
                            j += 2;
                        } else {
                            word.append(d);
                            j++;
                        }
                    }
                    if (j >= line.length()) {
                        throw new IllegalArgumentException("unterminated double quote");
                    }
                    i = j;
                    inWord = true;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
