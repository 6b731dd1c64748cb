package dev.wakegate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the log format at start-up: plain lines or JSON lines, both to stdout, and the level of
 * wakegate's own loggers ({@code WAKEGATE_LOG_LEVEL}, default info; {@code debug} adds what the data
 * path did not expect: connections closed on an exception, failed TLS handshakes, rate-limited),
 * set up in code rather than from logback XML: Joran (logback's XML configurator) loads some 500 classes and
 * took a quarter of wakegate's start-up. {@link LogbackConfigurator} applies the format the
 * environment asks for when logback starts; Main calls {@link #configure configure(true)} again
 * once the config file says {@code logging.json: true}. Reconfiguring works whenever it is
 * called, so a static logger created before it does no harm; at worst a line or two come out in
 * the first format.
 *
 * <p>A logback XML of one's own still works: {@code -Dlogback.configurationFile=FILE} (or a
 * {@code logback-test.xml} on the class path) makes {@link LogbackConfigurator} step aside, and
 * {@link #configure} then leaves that configuration alone.
 */
public final class Logging {
    /** System property that selects JSON lines ({@code -Dwakegate.log.json=true}). */
    public static final String JSON_PROPERTY = "wakegate.log.json";
    /** Environment variable that selects JSON lines. */
    public static final String JSON_ENV = "WAKEGATE_LOG_JSON";
    /** System property that sets the level of wakegate's loggers ({@code -Dwakegate.log.level=debug}). */
    public static final String LEVEL_PROPERTY = "wakegate.log.level";
    /** Environment variable that sets the level of wakegate's loggers. */
    public static final String LEVEL_ENV = "WAKEGATE_LOG_LEVEL";
    private static final String OWN_LOGGERS = "dev.wakegate";
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
    /** Libraries that chatter at INFO/DEBUG: WARN and above only. */
    static final List<String> QUIET_LOGGERS = List.of("com.github.dockerjava", "io.lettuce", "reactor", "io.netty",
            "io.micrometer", "org.apache.hc");

    private static volatile @Nullable Boolean current;
    private static volatile Level level = Level.INFO;

    private Logging() {
    }

    /**
     * JSON when {@code -Dwakegate.log.json} or {@code WAKEGATE_LOG_JSON} is true; wakegate's own
     * loggers at {@code -Dwakegate.log.level} or {@code WAKEGATE_LOG_LEVEL}. Returns the JSON choice.
     *
     * @throws IllegalArgumentException naming the setting when the level is not one of error, warn, info, debug, trace
     */
    public static boolean configureFromEnvironment() {
        Level requested = levelRequested(System.getProperty(LEVEL_PROPERTY), System.getenv());
        boolean json = jsonFromEnvironment();
        configure(json);
        setLevel(requested);
        return json;
    }

    /** The level the property, else the environment variable, asks for; info when neither is set. */
    static Level levelRequested(String property, Map<String, String> env) {
        String name = property != null ? LEVEL_PROPERTY : LEVEL_ENV;
        String value = property != null ? property : env.get(LEVEL_ENV);
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(lower)) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a log level (one of "
                    + String.join(", ", LEVELS) + ")");
        }
        return Level.toLevel(lower);
    }

    /**
     * Sets the level of wakegate's own loggers (libraries keep theirs), now and after any
     * reconfiguration; a logback file of the user's own keeps what it says.
     */
    static void setLevel(Level wakegate) {
        level = wakegate;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context && !userConfigured()) {
            context.getLogger(OWN_LOGGERS).setLevel(wakegate);
        }
    }

    static boolean jsonFromEnvironment() {
        return jsonRequested(System.getProperty(JSON_PROPERTY), System.getenv());
    }

    /** True when the property, else the environment variable, says true. */
    static boolean jsonRequested(String property, Map<String, String> env) {
        String value = property != null ? property : env.get(JSON_ENV);
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }

    /** True when logback is to read a file the user named ({@code -Dlogback.configurationFile}). */
    static boolean userConfigured() {
        return System.getProperty("logback.configurationFile") != null;
    }

    /**
     * Switches logback to JSON lines or plain lines. Idempotent; a no-op when SLF4J is not bound
     * to logback (e.g. in a test that brings its own binding) or when the user named a logback
     * file of their own.
     */
    public static synchronized void configure(boolean json) {
        if (current != null && current == json) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context) || userConfigured()) {
            return;
        }
        apply(context, json);
    }

    /** Replaces whatever {@code context} had with wakegate's stdout appender in the chosen format. */
    static synchronized void apply(LoggerContext context, boolean json) {
        context.reset();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(json ? jsonEncoder(context) : textEncoder(context));
        stdout.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        for (String name : QUIET_LOGGERS) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        context.getLogger(OWN_LOGGERS).setLevel(level);
        current = json;
    }

    /** Plain lines: UTC timestamp, level, thread, logger (simple name), message ({@link TextLayout}). */
    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        TextLayout layout = new TextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.start();
        return encoder;
    }
}
