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
            "kafka-get-offsets", "org.apache.kafka.tools.GetOffsetShell",
            "kafka-transactions", "org.apache.kafka.tools.TransactionsCommand",
            "kafka-share-groups", "org.apache.kafka.tools.consumer.group.ShareGroupCommand",
            "kafka-console-share-consumer", "org.apache.kafka.tools.consumer.ConsoleShareConsumer",
            "kafka-leader-election", "org.apache.kafka.tools.LeaderElectionCommand");

    /** The simulator's short names of Kafka's assignors. */
    static final Map<String, String> ASSIGNORS = Map.of(
            "range", "org.apache.kafka.clients.consumer.RangeAssignor",
            "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
            "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

    static final long TOOL_TIMEOUT_MS = 90_000;

    private final String bootstrap;
    private final Map<String, String> brokerSettings;
    /** The folder of a cluster whose nodes `broker stop|crash|start` control ({@code --cluster-dir}). */
    Path clusterDir;
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
        runner.clusterDir = options.containsKey("--cluster-dir") ? Paths.get(options.get("--cluster-dir")) : null;
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
    static final Set<String> NEVER_PLAYED = Set.of("step", "reset", "seed");

    /** The broker setting `retention run` waits for: the retention check's period. */
    static final String RETENTION_CHECK_INTERVAL = "log.retention.check.interval.ms";

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
                if (name.equals("retention") && !brokerSettings.containsKey(RETENTION_CHECK_INTERVAL)) {
                    skipped("retention run needs the directive '# broker: " + RETENTION_CHECK_INTERVAL
                            + "=N' (the broker's retention check runs every N ms) (seen before playing)");
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
        if (new TxnCommands(bootstrap, producers, transcript).handle(words)) return;
        switch (name) {
            case "consumer" -> consumerCommand(words);
            case "share-consumer" -> ShareCommands.play(bootstrap, words, transcript);
            case "pipeline" -> PipelineCommands.play(bootstrap, words, transcript);
            case "produce" -> produceCommand(words);
            case "producer" -> producerCommand(words);
            case "records" -> recordsCommand(words);
            case "retention" -> retentionCommand(words);
            case "clock" -> {
                clockCommand(words);
                // What a console consumer left running printed meanwhile, where the simulator
                // prints it: after the clock's line.
                drainBackground();
            }
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
        if (name.equals("kafka-topics") && toolArgs.contains("--create")) {
            rewriteSmallSegmentBytes(toolArgs);
        }
        if (name.equals("kafka-console-consumer") && !hasTimeout && !hasMaxMessages) {
            // It keeps running: it plays in the background until the scenario stops it.
            startBackgroundTool(toolClass, toolArgs.toArray(new String[0]), stdin);
            return;
        }
        boolean addedTimeout = false;
        if ((name.equals("kafka-console-consumer") || name.equals("kafka-console-share-consumer")) && !hasTimeout) {
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

    /** Kafka 4's smallest {@code segment.bytes} (1 MiB); below it only the internal config is accepted. */
    static final long MIN_SEGMENT_BYTES = 1024 * 1024;

    /**
     * Segments that roll after a few records need {@code segment.bytes} below Kafka 4's
     * minimum; Kafka offers the internal topic config {@code internal.segment.bytes} for that,
     * so a topic is created with it in place of a smaller {@code segment.bytes}.
     */
    private void rewriteSmallSegmentBytes(List<String> toolArgs) {
        for (int i = 0; i < toolArgs.size(); i++) {
            String arg = toolArgs.get(i);
            int valueAt = -1;
            String prefix = "";
            if (arg.equals("--config") && i + 1 < toolArgs.size()) {
                valueAt = i + 1;
            } else if (arg.startsWith("--config=")) {
                valueAt = i;
                prefix = "--config=";
            }
            if (valueAt < 0) {
                continue;
            }
            String config = toolArgs.get(valueAt).substring(prefix.length());
            if (!config.startsWith("segment.bytes=")) {
                continue;
            }
            try {
                long bytes = Long.parseLong(config.substring("segment.bytes=".length()));
                if (bytes >= 0 && bytes < MIN_SEGMENT_BYTES) {
                    toolArgs.set(valueAt, prefix + "internal." + config);
                    transcript.add("# runner: created with internal.segment.bytes=" + bytes
                            + " (segment.bytes below Kafka 4's minimum of " + MIN_SEGMENT_BYTES + ")");
                }
            } catch (NumberFormatException e) {
                // Not a number: Kafka answers it as it is.
            }
        }
    }

    /** A tool left running (a console consumer without --max-messages), with its output. */
    static final class BackgroundTool {
        final Capture capture;
        final Thread thread;
        /** Bytes of the capture already put in the transcript. */
        int drained;

        BackgroundTool(Capture capture, Thread thread) {
            this.capture = capture;
            this.thread = thread;
        }

        /** The complete lines printed since the last call. */
        List<String> newLines() {
            String text;
            synchronized (capture.buffer) {
                byte[] bytes = capture.buffer.toByteArray();
                int end = bytes.length;
                while (end > drained && bytes[end - 1] != '\n') {
                    end--;
                }
                text = new String(bytes, drained, end - drained, StandardCharsets.UTF_8);
                drained = end;
            }
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                lines.add(line);
            }
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        }
    }

    private final List<BackgroundTool> backgroundTools = new ArrayList<>();

    /**
     * Starts a tool that keeps running; what it prints until it has its consumer (the
     * banner lines) is the command's output, the rest goes in the transcript at clock
     * advances and when it is stopped.
     */
    private void startBackgroundTool(String toolClass, String[] args, String stdin) throws Exception {
        Method main = Class.forName(toolClass).getMethod("main", String[].class);
        Capture capture = new Capture();
        InputStream previousIn = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        Thread thread = toolThread(main, args, capture, "background-" + toolClass);
        thread.start();
        BackgroundTool tool = new BackgroundTool(capture, thread);
        backgroundTools.add(tool);
        // The banner comes when the tool has made its consumer: wait for it (or for the end).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && thread.isAlive()) {
            String text;
            synchronized (capture.buffer) {
                text = capture.buffer.toString(StandardCharsets.UTF_8);
            }
            if (text.contains("consumer rebalance protocol (KIP-848)") || text.contains("Processed a total of")) {
                break;
            }
            sleepMs(50);
        }
        sleepMs(200);
        System.setIn(previousIn);
        transcript.add("# runner: the console consumer keeps running in the background");
        transcript.addAll(tool.newLines());
    }

    /** Puts what the background tools printed since the last time in the transcript. */
    private void drainBackground() {
        for (BackgroundTool tool : backgroundTools) {
            transcript.addAll(tool.newLines());
        }
    }

    /** Stops a background tool as Ctrl-C would: its shutdown hooks run, then it ends. */
    private List<String> stopBackgroundTool(BackgroundTool tool) throws InterruptedException {
        List<Runnable> hooks;
        synchronized (tool.capture.shutdownHooks) {
            hooks = new ArrayList<>(tool.capture.shutdownHooks);
        }
        runShutdownHooks(hooks, tool.capture, "background-shutdown-hook");
        tool.thread.join(30_000);
        if (tool.thread.isAlive()) {
            tool.thread.interrupt();
            tool.thread.join(5000);
        }
        backgroundTools.remove(tool);
        return tool.newLines();
    }

    /** Runs a tool's shutdown hooks as the JVM would at exit, each with the tool's capture;
     * a hook that fails ends silently. */
    static void runShutdownHooks(List<Runnable> hooks, Capture capture, String name) throws InterruptedException {
        for (Runnable hook : hooks) {
            Thread hookThread = new Thread(() -> {
                CAPTURE.set(capture);
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    // A hook that fails ends like one at JVM exit: silently.
                }
            }, name);
            hookThread.start();
            hookThread.join(30_000);
        }
    }

    /** A thread that runs a tool's main with its output captured, as if it were the process:
     * Kafka's Exit ends only the tool, and an exception prints as the JVM would print it. */
    static Thread toolThread(Method main, String[] args, Capture capture, String name) {
        return new Thread(() -> {
            CAPTURE.set(capture);
            try {
                main.invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof ToolExit)) {
                    System.err.println("Exception in thread \"main\" " + cause);
                }
            } catch (ToolExit e) {
                // The tool exited; its output is in the capture.
            } catch (Exception e) {
                System.err.println("runner: " + e);
            } finally {
                System.out.flush();
                System.err.flush();
            }
        }, name);
    }

    /** Calls a tool's main with its output captured; a timed-out tool is interrupted. */
    static String captureTool(String toolClass, String[] args, String stdin) throws Exception {
        Method main = Class.forName(toolClass).getMethod("main", String[].class);
        Capture capture = new Capture();
        ByteArrayOutputStream buffer = capture.buffer;
        InputStream previousIn = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        Thread thread = toolThread(main, args, capture, "tool-" + toolClass);
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
        runShutdownHooks(hooks, capture, "tool-shutdown-hook");
        System.setIn(previousIn);
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    // ---- The simulator's own commands, on Kafka's clients. ----

    /** The simulator's options that take no value (the others take the next word). */
    static final Set<String> SIM_FLAGS = Set.of("to-beginning", "to-end", "verbose", "round-robin", "stop");

    /** A simulator command's words after its subcommand: positional words and options. */
    static final class SimArgs {
        final List<String> positional = new ArrayList<>();
        final Map<String, List<String>> values = new LinkedHashMap<>();
        final Set<String> flags = new TreeSet<>();

        /** Parses as the simulator does: {@code --k v}, {@code --k=v}, flags, and {@code --} before positional words. */
        static SimArgs parse(List<String> words) {
            SimArgs args = new SimArgs();
            boolean optionsEnded = false;
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                if (optionsEnded || !word.startsWith("--")) {
                    args.positional.add(word);
                    continue;
                }
                if (word.equals("--")) {
                    optionsEnded = true;
                    continue;
                }
                String name = word.substring(2);
                String inline = null;
                if (name.contains("=")) {
                    inline = name.substring(name.indexOf('=') + 1);
                    name = name.substring(0, name.indexOf('='));
                }
                if (SIM_FLAGS.contains(name) && inline == null) {
                    args.flags.add(name);
                } else {
                    String value = inline != null ? inline : (i + 1 < words.size() ? words.get(++i) : "");
                    args.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
            return args;
        }

        String value(String name) {
            List<String> list = values.get(name);
            return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        boolean has(String name) {
            return flags.contains(name);
        }
    }

    /** Consumers that were stopped, by client id, for {@code consumer restart}. */
    private final Map<String, SimConsumer> stoppedConsumers = new LinkedHashMap<>();

    private void consumerCommand(List<String> words) throws Exception {
        if (words.size() < 2) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String sub = words.get(1);
        SimArgs args = SimArgs.parse(words.subList(2, words.size()));
        if (sub.equals("list")) {
            transcript.add("# runner: the simulator's list of its clients: nothing to play");
            return;
        }
        if (args.positional.isEmpty()) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String id = args.positional.get(0);
        switch (sub) {
            case "start", "assign" -> startConsumer(sub, id, args);
            case "stop", "crash" -> {
                SimConsumer consumer = consumers.remove(id);
                if (consumer == null) {
                    if (!backgroundTools.isEmpty() && id.startsWith("console-consumer-")) {
                        if (sub.equals("crash")) {
                            skipped("a console consumer cannot be crashed inside this JVM");
                            return;
                        }
                        transcript.add("# runner: the console consumer is stopped as Ctrl-C would stop it");
                        transcript.addAll(stopBackgroundTool(backgroundTools.get(0)));
                        return;
                    }
                    transcript.add("# runner: no running consumer " + id + "; the simulator refuses it too");
                    return;
                }
                consumer.finish(sub.equals("crash"));
                stoppedConsumers.put(id, consumer);
            }
            case "restart" -> {
                SimConsumer stopped = stoppedConsumers.remove(id);
                if (stopped == null) {
                    transcript.add("# runner: no stopped consumer " + id + "; nothing to play");
                    return;
                }
                SimConsumer consumer = stopped.copy();
                consumers.put(id, consumer);
                consumer.start();
            }
            case "remove" -> {
                SimConsumer running = consumers.remove(id);
                if (running != null) {
                    running.finish(false);
                }
                if (running == null && stoppedConsumers.remove(id) == null) {
                    transcript.add("# runner: no consumer " + id + "; the simulator refuses it too");
                }
            }
            case "pause", "resume", "commit", "seek", "set" -> {
                SimConsumer consumer = consumers.get(id);
                if (consumer == null) {
                    transcript.add("# runner: no running consumer " + id + "; the simulator refuses it too");
                    return;
                }
                clientAction(sub, consumer, args);
            }
            default -> transcript.add("# simulator usage: nothing to play");
        }
    }

    /** `consumer start` (subscribe, in a group) or `consumer assign` (manual assignment). */
    private void startConsumer(String sub, String id, SimArgs args) {
        String group = args.value("group");
        List<String> topics = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>();
        Properties props = new Properties();
        double rate = 0;
        for (String value : args.all("config")) {
            String[] kv = value.split("=", 2);
            if (kv.length != 2) {
                transcript.add("# runner: consumer config " + value + " is not k=v; the simulator refuses it");
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
        if (sub.equals("start")) {
            String topicList = args.value("topic");
            if (group == null || topicList == null) {
                transcript.add("# simulator usage: consumer start needs --group and --topic; nothing to play");
                return;
            }
            topics.addAll(List.of(topicList.split(",")));
            if (clusterDir != null) {
                try {
                    ClusterCommands.alignCoordinator(bootstrap, group);
                } catch (Exception e) {
                    transcript.add("# runner error: could not place the group's coordinator as the simulator does: " + e);
                }
            }
        } else {
            String spec = args.value("partition");
            int colon = spec == null ? -1 : spec.lastIndexOf(':');
            if (colon < 0) {
                transcript.add("# simulator usage: consumer assign needs --partition t:0,1; nothing to play");
                return;
            }
            String topic = spec.substring(0, colon);
            for (String n : spec.substring(colon + 1).split(",")) {
                try {
                    partitions.add(new TopicPartition(topic, Integer.parseInt(n.trim())));
                } catch (NumberFormatException e) {
                    transcript.add("# simulator usage: " + spec + " is not t:0,1; nothing to play");
                    return;
                }
            }
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        SimConsumer consumer = new SimConsumer(id, props, topics, partitions, rate);
        stoppedConsumers.remove(id);
        consumers.put(id, consumer);
        consumer.start();
    }

    /** pause, resume, commit, seek and set on a running consumer, done in its own thread. */
    private void clientAction(String sub, SimConsumer consumer, SimArgs args) throws Exception {
        switch (sub) {
            case "pause" -> consumer.act(c -> c.pause(c.assignment()));
            case "resume" -> consumer.act(c -> c.resume(c.paused()));
            case "commit" -> consumer.act(c -> c.commitSync(Duration.ofSeconds(10)));
            case "seek" -> {
                String spec = args.value("partition");
                TopicPartition only = null;
                if (spec != null) {
                    int colon = spec.lastIndexOf(':');
                    try {
                        only = new TopicPartition(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
                    } catch (RuntimeException e) {
                        transcript.add("# simulator usage: " + spec + " is not t:p; nothing to play");
                        return;
                    }
                }
                TopicPartition chosen = only;
                if (args.has("to-beginning")) {
                    consumer.act(c -> c.seekToBeginning(chosen == null ? c.assignment() : List.of(chosen)));
                } else if (args.has("to-end")) {
                    consumer.act(c -> c.seekToEnd(chosen == null ? c.assignment() : List.of(chosen)));
                } else if (args.value("to-offset") != null) {
                    long offset = Long.parseLong(args.value("to-offset"));
                    consumer.act(c -> {
                        for (TopicPartition tp : chosen == null ? c.assignment() : Set.of(chosen)) {
                            c.seek(tp, offset);
                        }
                    });
                } else {
                    skipped("consumer seek " + String.join(" ", args.positional) + " by date: the simulator's clock is not the broker's");
                    return;
                }
                transcript.add("# runner: played as KafkaConsumer.seek in the consumer's thread");
            }
            case "set" -> {
                String kv = args.positional.size() > 1 ? args.positional.get(1) : "";
                String[] parts = kv.split("=", 2);
                if (parts.length != 2) {
                    transcript.add("# simulator usage: nothing to play");
                    return;
                }
                if (parts[0].equals("processing.rate")) {
                    consumer.recordsPerSecond = Double.parseDouble(parts[1]);
                    transcript.add("# runner: the processing rate changes at once");
                    return;
                }
                ConfigDef.ConfigKey definition = ConsumerConfig.configDef().configKeys().get(parts[0]);
                if (definition == null) {
                    transcript.add("# runner: Kafka's consumer has no config " + parts[0]);
                    return;
                }
                try {
                    Object parsed = ConfigDef.parseType(parts[0], parts[1], definition.type);
                    if (definition.validator != null) {
                        definition.validator.ensureValid(parts[0], parsed);
                    }
                } catch (ConfigException e) {
                    transcript.add("# runner: Kafka refuses it too: " + e.getMessage());
                    return;
                }
                consumer.props.put(parts[0], parts[1]);
                transcript.add("# runner: a KafkaConsumer's configs are fixed when it is made: " + kv
                        + " applies from its next restart");
            }
            default -> {
            }
        }
    }

    private void produceCommand(List<String> words) throws Exception {
        SimArgs args = SimArgs.parse(words.subList(1, words.size()));
        if (args.positional.isEmpty()) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        for (String option : args.values.keySet()) {
            if (!Set.of("key", "partition", "producer", "header").contains(option)) {
                transcript.add("# simulator usage: produce has no option --" + option + "; nothing to play");
                return;
            }
        }
        String topic = args.positional.get(0);
        List<String> values = new ArrayList<>(args.positional.subList(1, args.positional.size()));
        if (values.isEmpty()) {
            // No value: one record with a null value (a tombstone when it has a key).
            values.add(null);
        }
        String key = args.value("key");
        Integer partition = args.value("partition") == null ? null : Integer.parseInt(args.value("partition"));
        String producerName = args.value("producer") == null ? "console-producer" : args.value("producer");
        List<String[]> headers = args.all("header").stream().map(h -> h.split("=", 2)).collect(Collectors.toList());
        KafkaProducer<String, String> producer = producer(producerName, false);
        for (String value : values) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, key, value);
            for (String[] header : headers) {
                record.headers().add(header[0], (header.length > 1 ? header[1] : "").getBytes(StandardCharsets.UTF_8));
            }
            try {
                producer.send(record).get(15, TimeUnit.SECONDS);
                sentCounts.merge(producerName, 1L, Long::sum);
            } catch (Exception e) {
                transcript.add("# runner: produce failed: " + e);
            }
        }
    }

    /** Records each producer sent, for a stream's values ({@code name #n}, as the simulator writes them). */
    private final Map<String, Long> sentCounts = new java.util.concurrent.ConcurrentHashMap<>();
    /** The running streams, by producer. */
    private final Map<String, ProducerStream> streams = new LinkedHashMap<>();

    /** The named KafkaProducer, made on first use ({@code --round-robin}: Kafka's RoundRobinPartitioner). */
    private KafkaProducer<String, String> producer(String name, boolean roundRobin) {
        KafkaProducer<String, String> producer = producers.get(name);
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, name);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            if (roundRobin) {
                props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, org.apache.kafka.clients.producer.RoundRobinPartitioner.class.getName());
            }
            producer = new KafkaProducer<>(props);
            producers.put(name, producer);
        }
        return producer;
    }

    /**
     * {@code producer stream}: a thread sending {@code rate} records per second to a topic,
     * the first after one period as in the simulator, keys drawn from {@code prefix0..prefix(N-1)}
     * (none without {@code --keys}), values {@code name #n}.
     */
    final class ProducerStream {
        private volatile boolean stopping;
        private final Thread thread;

        ProducerStream(String name, KafkaProducer<String, String> producer, String topic, double rate, int keys, String prefix) {
            java.util.Random random = new java.util.Random(42);
            long periodNs = Math.round(1e9 / rate);
            thread = new Thread(() -> {
                CAPTURE.set(null);
                long next = System.nanoTime() + periodNs;
                while (!stopping) {
                    long waitNs = next - System.nanoTime();
                    if (waitNs > 0) {
                        sleepMs(Math.min(50, Math.max(1, waitNs / 1_000_000)));
                        continue;
                    }
                    next += periodNs;
                    String key = keys > 0 ? prefix + random.nextInt(keys) : null;
                    long n = sentCounts.merge(name, 1L, Long::sum);
                    producer.send(new ProducerRecord<>(topic, key, name + " #" + n), (metadata, error) -> {
                        if (error != null) {
                            System.err.println("runner: stream " + name + ": " + error);
                        }
                    });
                }
                producer.flush();
            }, "stream-" + name);
            thread.start();
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(10_000);
        }
    }

    private void producerCommand(List<String> words) throws Exception {
        if (words.size() < 3) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String sub = words.get(1);
        SimArgs args = SimArgs.parse(words.subList(2, words.size()));
        if (args.positional.isEmpty()) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        String name = args.positional.get(0);
        switch (sub) {
            case "add" -> {
                producer(name, args.has("round-robin"));
                transcript.add("# runner: a KafkaProducer with client.id " + name
                        + (args.has("round-robin") ? " and the RoundRobinPartitioner" : ""));
            }
            case "remove" -> {
                ProducerStream stream = streams.remove(name);
                if (stream != null) {
                    stream.stop();
                }
                KafkaProducer<String, String> producer = producers.remove(name);
                if (producer != null) {
                    producer.close(Duration.ofSeconds(5));
                }
            }
            case "stream" -> {
                ProducerStream running = streams.remove(name);
                if (running != null) {
                    running.stop();
                }
                if (args.has("stop")) {
                    return;
                }
                String topic = args.value("topic");
                String rate = args.value("rate");
                if (topic == null || rate == null || !producers.containsKey(name)) {
                    transcript.add("# runner: the simulator refuses this stream; nothing to play");
                    return;
                }
                int keys = args.value("keys") == null ? 0 : Integer.parseInt(args.value("keys"));
                String prefix = args.value("key-prefix") == null ? "key-" : args.value("key-prefix");
                streams.put(name, new ProducerStream(name, producers.get(name), topic, Double.parseDouble(rate), keys, prefix));
                transcript.add("# runner: a thread sends " + rate + " record(s) per second with " + name);
            }
            default -> transcript.add("# simulator usage: nothing to play");
        }
    }

    /** {@code records delete --partition t:p --before-offset N}: Admin.deleteRecords, as kafka-delete-records does. */
    private void recordsCommand(List<String> words) throws Exception {
        String sub = words.size() > 1 ? words.get(1) : "";
        SimArgs args = SimArgs.parse(words.subList(Math.min(2, words.size()), words.size()));
        if (sub.equals("fill")) {
            skipped("records fill writes millions of records at once; the real side has no such command");
            return;
        }
        String spec = args.value("partition");
        String before = args.value("before-offset");
        if (!sub.equals("delete") || spec == null || before == null || spec.lastIndexOf(':') < 0) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        TopicPartition tp;
        long offset;
        try {
            int colon = spec.lastIndexOf(':');
            tp = new TopicPartition(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
            offset = Long.parseLong(before);
        } catch (NumberFormatException e) {
            transcript.add("# simulator usage: nothing to play");
            return;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long low = admin.deleteRecords(Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(offset)))
                    .lowWatermarks().get(tp).get(30, TimeUnit.SECONDS).lowWatermark();
            transcript.add("# runner: Admin.deleteRecords: the low watermark of " + tp + " is now " + low);
        } catch (java.util.concurrent.ExecutionException e) {
            transcript.add("# runner: Admin.deleteRecords refused: " + e.getCause());
        }
    }

    /**
     * {@code retention run}: the broker's retention check runs every
     * log.retention.check.interval.ms (the scenario's {@code # broker:} directive sets it
     * short), so it is played as a wait of two periods.
     */
    private void retentionCommand(List<String> words) {
        String interval = brokerSettings.get(RETENTION_CHECK_INTERVAL);
        if (interval == null) {
            skipped("retention run needs the directive '# broker: " + RETENTION_CHECK_INTERVAL + "=N'");
            return;
        }
        long ms = Long.parseLong(interval);
        sleepMs(2 * ms + 500);
        transcript.add("# runner: waited two periods of the broker's retention check (" + ms + " ms)");
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
        if (ClusterCommands.handles(words)) {
            ClusterCommands.run(words, bootstrap, clusterDir, transcript::add, this::skipped);
            return;
        }
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
        ClusterCommands.restoreAll(bootstrap, clusterDir);
        for (ProducerStream stream : streams.values()) {
            stream.stop();
        }
        streams.clear();
        for (BackgroundTool tool : new ArrayList<>(backgroundTools)) {
            stopBackgroundTool(tool);
        }
        for (SimConsumer consumer : consumers.values()) {
            consumer.finish(false);
        }
        consumers.clear();
        ShareCommands.closeAll();
        PipelineCommands.closeAll();
        stoppedConsumers.clear();
        sentCounts.clear();
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
                    ShareCommands.deleteShareGroups(admin);
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

    /**
     * A client the simulator calls {@code consumer start} (subscribed, in a group) or
     * {@code consumer assign} (manually assigned partitions, a group only for commits): a
     * KafkaConsumer in its own thread, polling at its processing rate. Commands on it
     * (pause, seek, commit) run in that thread between polls, as KafkaConsumer requires.
     */
    static final class SimConsumer {
        private final String id;
        final Properties props;
        private final List<String> topics;
        private final List<TopicPartition> partitions;
        volatile double recordsPerSecond;
        private volatile boolean stopping;
        private volatile boolean crash;
        private final Thread thread;
        private final java.util.concurrent.ConcurrentLinkedQueue<java.util.function.Consumer<KafkaConsumer<String, String>>> actions =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        SimConsumer(String id, Properties props, List<String> topics, List<TopicPartition> partitions, double recordsPerSecond) {
            this.id = id;
            this.props = props;
            this.topics = topics;
            this.partitions = partitions;
            this.recordsPerSecond = recordsPerSecond;
            this.thread = new Thread(this::run, "consumer-" + id);
        }

        /** The same client made anew (for {@code consumer restart}). */
        SimConsumer copy() {
            Properties again = new Properties();
            again.putAll(props);
            return new SimConsumer(id, again, topics, partitions, recordsPerSecond);
        }

        void start() {
            thread.start();
        }

        /** Runs an action in the consumer's thread before its next poll, and waits for it. */
        void act(java.util.function.Consumer<KafkaConsumer<String, String>> action) throws InterruptedException {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            actions.add(c -> {
                try {
                    action.accept(c);
                } finally {
                    done.countDown();
                }
            });
            done.await(15, TimeUnit.SECONDS);
        }

        private void run() {
            CAPTURE.set(null);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                if (partitions.isEmpty()) {
                    consumer.subscribe(topics);
                } else {
                    consumer.assign(partitions);
                }
                while (!stopping) {
                    for (java.util.function.Consumer<KafkaConsumer<String, String>> action; (action = actions.poll()) != null; ) {
                        try {
                            action.accept(consumer);
                        } catch (RuntimeException e) {
                            System.err.println("runner: consumer " + id + ": " + e);
                        }
                    }
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
