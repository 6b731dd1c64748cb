package dev.wakegate.e2e.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerFixture.Healthcheck;
import dev.wakegate.testing.Loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream containers for the lifecycle end-to-end tests, and checks on what the proxy answers.
 *
 * <p>A {@link Site} is busybox httpd on a loopback port whose body is the container's own name (at
 * {@code /} and at {@code /<dir>/}, so a route's path reaches it unchanged), with a CGI script
 * {@code /cgi-bin/slow?SECONDS} that sleeps before answering (a request that stays in flight).
 */
final class Upstreams {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Upstreams() {
    }

    /** One upstream container: its name (also its response body) and its loopback port. */
    record Site(String name, int port) {
        String upstream() {
            return "127.0.0.1:" + port;
        }
    }

    /** httpd with a Docker HEALTHCHECK (wget every 200 ms); readiness comes from the health status. */
    static Site site(DockerFixture docker, String hint, String dir) {
        String name = DockerFixture.uniqueName(hint);
        int port = Loopback.freePort();
        docker.containerNamed(name).shell(script(name, port, dir)).healthcheck(Healthcheck.httpGet(port)).create();
        return new Site(name, port);
    }

    /** httpd without a HEALTHCHECK; readiness comes from the configured probe or a TCP connect. */
    static Site plainSite(DockerFixture docker, String hint, String dir) {
        String name = DockerFixture.uniqueName(hint);
        int port = Loopback.freePort();
        docker.containerNamed(name).shell(script(name, port, dir)).create();
        return new Site(name, port);
    }

    /** The same, but httpd listens only {@code bootDelay} after the container starts (a slow boot). */
    static Site plainSite(DockerFixture docker, String hint, String dir, Duration bootDelay) {
        String name = DockerFixture.uniqueName(hint);
        int port = Loopback.freePort();
        docker.containerNamed(name).shell("sleep " + bootDelay.toMillis() / 1000.0 + " && " + script(name, port, dir))
                .create();
        return new Site(name, port);
    }

    private static String script(String name, int port, String dir) {
        return "mkdir -p /www/cgi-bin /www/" + dir
                + " && echo " + name + " > /www/index.html && cp /www/index.html /www/" + dir + "/index.html"
                + " && printf '#!/bin/sh\\nsleep ${QUERY_STRING:-1}\\nprintf \"Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nslow\\\\n\"\\n'"
                + " > /www/cgi-bin/slow && chmod +x /www/cgi-bin/slow"
                + " && exec httpd -f -p 127.0.0.1:" + port + " -h /www";
    }

    /** When the engine last started the container (State.StartedAt). */
    static Instant startedAt(DockerFixture docker, String name) {
        return Instant.parse(docker.inspect(name).getState().getStartedAt());
    }

    static boolean running(DockerFixture docker, String name) {
        return "running".equals(docker.status(name));
    }

    /**
     * A 503 with Retry-After and a problem+json body naming {@code container} and a detail that
     * contains {@code reason}.
     */
    static void assertProblem(HttpResponse<String> r, String container, String reason) {
        assertThat(r.statusCode()).as("status, body %s", r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = json(r.body());
        assertThat(body.path("status").asInt()).isEqualTo(503);
        assertThat(body.path("container").asText()).as("container in %s", r.body()).isEqualTo(container);
        assertThat(body.path("detail").asText()).as("detail in %s", r.body()).contains(reason);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static String yamlDuration(Duration d) {
        return d.toMillis() + "ms";
    }
}
