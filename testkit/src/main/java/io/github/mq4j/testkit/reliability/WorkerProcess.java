package io.github.mq4j.testkit.reliability;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.testkit.TestTopology;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Worker} in a JVM of its own, to be killed in the middle of its work: the crash
 * scenarios start it on a queue, let it take messages, and {@link #kill() kill} it with
 * {@code SIGKILL} while its handlers run.
 *
 * <p>The child JVM runs this class's {@link #main(String[])} with the test JVM's {@code java} and
 * class path, opens a client on {@link TestTopology} from the environment variables it is given
 * ({@link ReliabilityFixture#environmentOf}), and runs a worker whose handler prints
 * {@code BEGIN <body>}, waits the handle time, and prints {@code END <body>}. The parent reads
 * those lines into its {@link MessageLedger} as they come, so the ledger accounts for the
 * handlings of both processes. The child exits on its own when its standard input closes (the
 * test JVM is gone). Its standard error (logging) goes to a temporary file, shown by
 * {@link #log()}.
 *
 * <p>Thread-safe.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final String BEGIN = "BEGIN ";
    private static final String END = "END ";

    private final Process process;
    private final Path logFile;
    private final MessageLedger ledger;
    private final Thread reader;
    private final Set<String> running = new LinkedHashSet<>(); // guarded by this
    private int ended; // guarded by this
    private boolean outputClosed; // guarded by this

    private WorkerProcess(Process process, Path logFile, MessageLedger ledger) {
        this.process = process;
        this.logFile = logFile;
        this.ledger = ledger;
        this.reader = new Thread(this::readOutput, "worker-process-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts a worker in a new JVM on {@code queue} of the client described by {@code environment}.
     *
     * @param environment the variables of {@link ReliabilityFixture#environmentOf}
     * @param queue the queue (a name of {@link TestTopology}) the worker serves
     * @param concurrency the worker's handler slots on that queue
     * @param handleTime how long each handling takes
     * @param ledger where the child's handlings are recorded
     */
    public static WorkerProcess start(Map<String, String> environment, String queue, int concurrency, Duration handleTime,
            MessageLedger ledger) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(),
                queue, Integer.toString(concurrency), Long.toString(handleTime.toMillis()));
        try {
            Path log = Files.createTempFile("mq4j-worker-process", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().putAll(environment);
            return new WorkerProcess(builder.start(), log, ledger);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a worker process", e);
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(BEGIN)) {
                    String body = line.substring(BEGIN.length());
                    ledger.begin(body);
                    synchronized (this) {
                        running.add(body);
                        notifyAll();
                    }
                } else if (line.startsWith(END)) {
                    String body = line.substring(END.length());
                    ledger.end(body);
                    synchronized (this) {
                        running.remove(body);
                        ended++;
                        notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what it printed before is recorded
        } finally {
            synchronized (this) {
                outputClosed = true;
                notifyAll();
            }
        }
    }

    /**
     * Waits until the child has finished at least {@code count} handlings and has at least one
     * handler running, the moment to kill it.
     *
     * @throws AssertionError if that does not happen within {@code timeout} or the child exits
     */
    public void awaitRunningAfter(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (ended < count || running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (outputClosed || left <= 0) {
                    throw new AssertionError("the worker process " + (outputClosed ? "exited" : "did not get there within " + timeout)
                            + " (" + ended + " handlings finished, " + running.size() + " running, wanted " + count
                            + " finished and 1 running); its log:\n" + log());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** How many handlings the child has finished, as far as its output has been read. */
    public synchronized int ended() {
        return ended;
    }

    /**
     * Kills the child with {@code SIGKILL} ({@link Process#destroyForcibly()}), waits until it is
     * gone and its output is read, and ends in the ledger every handling that was running in it.
     *
     * @return the bodies whose handlers were running when the child died
     */
    public List<String> kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        List<String> interrupted;
        synchronized (this) {
            interrupted = new ArrayList<>(running);
            running.clear();
        }
        for (String body : interrupted) {
            ledger.end(body);
        }
        return interrupted;
    }

    /** The child's exit value; only after {@link #kill()}. On Linux, 137 (128 + SIGKILL). */
    public int exitValue() {
        return process.exitValue();
    }

    /** The child's standard error so far (its log lines), or why it cannot be read. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Kills the child if it still runs and deletes its log. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            // a temporary file; the OS cleans up
        }
    }

    /**
     * The child's entry point. Arguments: queue name, concurrency, handle time in milliseconds; the
     * client's configuration comes from the environment.
     */
    public static void main(String[] args) throws IOException {
        String queue = args[0];
        int concurrency = Integer.parseInt(args[1]);
        long handleMillis = Long.parseLong(args[2]);
        QueueClient client = QueueFactory.fromConfig(ConfigSource.environment(), TestTopology.topology());
        Worker worker = Worker.builder().name("worker-process").pollWaitTime(Duration.ofSeconds(1))
                .subscribe(client.queue(queue), (message, context) -> {
                    System.out.println(BEGIN + message.body());
                    Thread.sleep(handleMillis);
                    System.out.println(END + message.body());
                }, SubscriptionOptions.builder().concurrency(concurrency).build())
                .build();
        worker.start();
        while (System.in.read() != -1) {
            // runs until killed, or until the test JVM is gone and standard input closes
        }
        Runtime.getRuntime().halt(1);
    }
}
