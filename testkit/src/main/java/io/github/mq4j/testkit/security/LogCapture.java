package io.github.mq4j.testkit.security;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Captures what is logged while a test runs, at every level, so that the test can search it for a
 * secret: everything written to {@code System.err} (where slf4j-simple, the tests' logging
 * backend, writes), with every slf4j-simple logger turned to TRACE for the time, and every
 * {@code java.util.logging} record (pgjdbc logs there), at every level. Closing restores the
 * levels and {@code System.err}, and echoes what was captured to it.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     connectWithWrongPassword();
 *     assertThat(logs.text()).doesNotContain(password);
 * }
 * }</pre>
 *
 * <p>Not thread-safe, and global while it runs: another test running at the same time in the JVM
 * has its output captured too.
 */
public final class LogCapture implements AutoCloseable {
    /** slf4j-simple's TRACE level (its {@code LOG_LEVEL_TRACE}). */
    private static final int SIMPLE_TRACE = 0;
    private static final String SIMPLE_LOGGER = "org.slf4j.simple.SimpleLogger";
    private static final String SIMPLE_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.";
    /** Logger name prefixes whose loggers created during the capture start at TRACE. */
    private static final List<String> PREFIXES = List.of("io.github.mq4j", "com.zaxxer.hikari", "org.postgresql",
            "software.amazon.awssdk", "org.elasticmq", "io", "com", "org", "software");

    private final PrintStream originalErr;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Map<Object, Integer> simpleLevels = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private final Logger julRoot = Logger.getLogger("");
    private final Level julLevel;
    private final Map<Handler, Level> julHandlerLevels = new HashMap<>();
    private final StringBuilder julText = new StringBuilder();
    private final Handler julHandler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            synchronized (julText) {
                julText.append(formatter.format(record));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture() {
        originalErr = System.err;
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        for (String prefix : PREFIXES) {
            properties.put(prefix, System.getProperty(SIMPLE_LEVEL_PROPERTY + prefix));
            System.setProperty(SIMPLE_LEVEL_PROPERTY + prefix, "trace");
        }
        for (Object logger : simpleLoggers()) {
            simpleLevels.put(logger, setSimpleLevel(logger, SIMPLE_TRACE));
        }
        julLevel = julRoot.getLevel();
        for (Handler h : julRoot.getHandlers()) {
            julHandlerLevels.put(h, h.getLevel());
            h.setLevel(Level.OFF); // the console handler holds the original System.err; ours takes every record
        }
        julHandler.setLevel(Level.ALL);
        julRoot.addHandler(julHandler);
        julRoot.setLevel(Level.ALL);
    }

    /** Starts capturing. Close the capture (try-with-resources) to stop. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything captured so far: {@code System.err} and {@code java.util.logging}. */
    public String text() {
        System.err.flush();
        synchronized (julText) {
            return buffer.toString(StandardCharsets.UTF_8) + julText;
        }
    }

    @Override
    public void close() {
        String captured = text();
        julRoot.removeHandler(julHandler);
        julRoot.setLevel(julLevel);
        julHandlerLevels.forEach(Handler::setLevel);
        simpleLevels.forEach(LogCapture::setSimpleLevel);
        properties.forEach((prefix, old) -> {
            if (old == null) {
                System.clearProperty(SIMPLE_LEVEL_PROPERTY + prefix);
            } else {
                System.setProperty(SIMPLE_LEVEL_PROPERTY + prefix, old);
            }
        });
        System.setErr(originalErr);
        originalErr.print(captured);
    }

    /**
     * The whole text of {@code error}: its stack trace with the class and message of every cause and
     * suppressed exception, as a log line with the exception would show it.
     */
    public static String fullText(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** The slf4j-simple loggers created so far, or none when slf4j-simple is not the backend. */
    private static List<Object> simpleLoggers() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            Field map = factory.getClass().getDeclaredField("loggerMap");
            map.setAccessible(true);
            return List.copyOf(((Map<?, ?>) map.get(factory)).values());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of();
        }
    }

    /** Sets an slf4j-simple logger's level; returns the old one. */
    private static int setSimpleLevel(Object logger, int level) {
        try {
            Class<?> simple = Class.forName(SIMPLE_LOGGER, false, logger.getClass().getClassLoader());
            if (!simple.isInstance(logger)) {
                return level;
            }
            Field current = simple.getDeclaredField("currentLogLevel");
            current.setAccessible(true);
            int old = current.getInt(logger);
            current.setInt(logger, level);
            return old;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot set the level of slf4j-simple logger " + logger, e);
        }
    }
}
