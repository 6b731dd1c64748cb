package dev.wakegate.e2e.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.WakegateHarness;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the ops end-to-end tests share: the Redis database they own ({@value #REDIS_URL}), the
 * YAML of a proxy in front of one busybox container, a slow CGI upstream, and a log capture.
 */
final class Ops {
    /** Database 11 of the machine's Redis belongs to these tests; they flush it before each use. */
    static final String REDIS_URL = "redis://127.0.0.1:6379/11";
    static final ObjectMapper JSON = new ObjectMapper();

    private Ops() {
    }

    /** A Lettuce connection to {@code url} for the test thread's own reads (sync API: fine off event loops). */
    static final class RedisView implements AutoCloseable {
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;

        RedisView(String url) {
            client = RedisClient.create(url);
            connection = client.connect();
        }

        RedisCommands<String, String> sync() {
            return connection.sync();
        }

        /** The {@code container_states} hash, field by field, each value parsed as JSON. */
        Map<String, JsonNode> containerStates() {
            Map<String, String> raw = sync().hgetall("container_states");
            Map<String, JsonNode> out = new java.util.TreeMap<>();
            raw.forEach((k, v) -> out.put(k, json(v)));
            return out;
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Flushes the tests' database and returns a view on it. */
    static RedisView freshRedis() {
        RedisView view = new RedisView(REDIS_URL);
        view.sync().flushdb();
        return view;
    }

    /**
     * An httpd on 127.0.0.1:port serving {@code /index.html} ("ok") and {@code /cgi-bin/slow}
     * (answers after {@code slowSeconds}), with a HEALTHCHECK every 200 ms.
     */
    static String slowCapableServer(DockerFixture docker, String hint, int port, int slowSeconds) {
        String script = "mkdir -p /www/cgi-bin && echo ok > /www/index.html"
                // CGI headers end in CRLF: busybox httpd passes them through as written
                + " && printf '#!/bin/sh\\nsleep " + slowSeconds
                + "\\nprintf \"Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nslow\\\\n\"\\n'"
                + " > /www/cgi-bin/slow && chmod +x /www/cgi-bin/slow"
                + " && exec httpd -f -p 127.0.0.1:" + port + " -h /www";
        return docker.container(hint).shell(script)
                .healthcheck(DockerFixture.Healthcheck.httpGet(port)).create();
    }

    /**
     * One managed container behind route {@code /}. {@code options} go into its entry
     * ({@code "priority: normal, idle_timeout: 3s"}); {@code automation} is the automation section's body.
     * Short idle timeouts belong on the container, never in {@code automation}: the proxy also
     * manages any {@code wakegate.enable} container on this shared engine (other tests'), and
     * must not stop those within seconds.
     */
    static String yaml(String name, int port, String options, String automation) {
        return """
                workers: 1
                automation:
                %s
                timeouts: { drain: 1s }
                containers:
                  %s: { %s, upstream: 127.0.0.1:%d }
                routes:
                  - { path: /, containers: [%s], upstream: %s }
                """.formatted(indent(automation), name, options, port, name, name);
    }

    private static String indent(String body) {
        StringBuilder sb = new StringBuilder();
        for (String line : body.strip().split("\n")) {
            sb.append("  ").append(line.strip()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    static long startsIssued(WakegateHarness proxy, String name) {
        return proxy.server().lifecycle().stats().countsOf(name).startsIssued();
    }

    /** Captures what wakegate's loggers write while open (INFO and up, as configured for tests). */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("dev.wakegate");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> lines() {
            synchronized (appender.list) {
                return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
        }

        /** Lines that mention {@code name} and contain {@code fragment}. */
        List<String> linesAbout(String name, String fragment) {
            String f = fragment.toLowerCase(Locale.ROOT);
            return lines().stream().filter(l -> l.contains(name) && l.toLowerCase(Locale.ROOT).contains(f)).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            appender.stop();
        }
    }
}
