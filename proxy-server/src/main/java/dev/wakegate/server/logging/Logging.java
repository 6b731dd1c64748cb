package dev.wakegate.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the log format at start-up: plain lines ({@code logback.xml}) or JSON lines
 * ({@code logback-json.xml}), both to stdout. Main calls {@link #configureFromEnvironment} first
 * thing, and {@link #configure configure(true)} again once the config file says
 * {@code logging.json: true}. Reconfiguring works whenever it is called, so a static logger
 * created before it does no harm; at worst a line or two come out in the first format.
 */
public final class Logging {
    /** System property that selects JSON lines ({@code -Dwakegate.log.json=true}). */
    public static final String JSON_PROPERTY = "wakegate.log.json";
    /** Environment variable that selects JSON lines. */
    public static final String JSON_ENV = "WAKEGATE_LOG_JSON";
    static final String TEXT_CONFIG = "logback.xml";
    static final String JSON_CONFIG = "logback-json.xml";

    private static volatile Boolean current;

    private Logging() {
    }

    /** JSON when {@code -Dwakegate.log.json} or {@code WAKEGATE_LOG_JSON} is true; returns the choice. */
    public static boolean configureFromEnvironment() {
        boolean json = jsonRequested(System.getProperty(JSON_PROPERTY), System.getenv());
        configure(json);
        return json;
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
        current = json;
    }
}
