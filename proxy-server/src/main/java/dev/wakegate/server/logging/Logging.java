package dev.wakegate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the log format at start-up: plain lines ({@code logback.xml}) or JSON lines
 * ({@code logback-json.xml}), both to stdout, and the level of wakegate's own loggers
 * ({@code WAKEGATE_LOG_LEVEL}, default info; {@code debug} shows what the data path did not
 * expect: connections closed on an exception, failed TLS handshakes, rate-limited). Main calls
 * {@link #configureFromEnvironment} first thing, and {@link #configure configure(true)} again once
 * the config file says {@code logging.json: true}. Reconfiguring works whenever it is called, so a
 * static logger created before it does no harm; at worst a line or two come out in the first format.
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
    static final String TEXT_CONFIG = "logback.xml";
    private static final String OWN_LOGGERS = "dev.wakegate";
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
    static final String JSON_CONFIG = "logback-json.xml";

    private static volatile Boolean current;
    private static volatile Level level = Level.INFO;

    private Logging() {
    }

    /**
     * JSON when {@code -Dwakegate.log.json} or {@code WAKEGATE_LOG_JSON} is true; wakegate's own
     * loggers at {@code -Dwakegate.log.level} or {@code WAKEGATE_LOG_LEVEL}. Returns the JSON choice.
     *
     * @throws IllegalArgumentException naming the variable when the level is not one of error, warn, info, debug, trace
     */
    public static boolean configureFromEnvironment() {
        Level requested = levelRequested(System.getProperty(LEVEL_PROPERTY), System.getenv());
        boolean json = jsonRequested(System.getProperty(JSON_PROPERTY), System.getenv());
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
            throw new IllegalArgumentException(name + ": '" + value + "' is not a log level (one of " + String.join(", ", LEVELS)
                    + ")");
        }
        return Level.toLevel(lower);
    }

    /** Sets the level of wakegate's own loggers (libraries keep theirs), now and after any reconfiguration. */
    static void setLevel(Level wakegate) {
        level = wakegate;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(OWN_LOGGERS).setLevel(wakegate);
        }
    }

    /** True when the property, else the environment variable, says true. */
    static boolean jsonRequested(String property, Map<String, String> env) {
        String value = property != null ? property : env.get(JSON_ENV);
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }

    /**
     * Switches logback to JSON lines or plain lines. Idempotent; a no-op when SLF4J is not bound
     * to logback (e.g. in a test that brings its own binding).
     */
    public static synchronized void configure(boolean json) {
        if (current != null && current == json) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        String resource = json ? JSON_CONFIG : TEXT_CONFIG;
        URL url = Logging.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("logging configuration " + resource + " is missing from the classpath");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(url);
        } catch (JoranException e) {
            throw new IllegalStateException("logging configuration " + resource + " is invalid: " + e.getMessage(), e);
        }
        context.getLogger(OWN_LOGGERS).setLevel(level);
        current = json;
    }
}
