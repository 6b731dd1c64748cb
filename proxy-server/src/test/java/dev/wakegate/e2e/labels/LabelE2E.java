package dev.wakegate.e2e.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.WakegateHarness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Small shared pieces of the label end-to-end tests: label maps, HTTP servers whose body names
 * them, and readers for the proxy's JSON documents.
 *
 * <p>Label discovery manages every container on the engine that carries {@code wakegate.enable=true},
 * also those of tests running concurrently, so everything here is unique per call: container
 * names, compose service names and route paths.
 */
final class LabelE2E {
    static final ObjectMapper JSON = new ObjectMapper();

    private LabelE2E() {
    }

    /** A route path no other test uses, e.g. {@code /lbl-wake-1a2b3c4d}. */
    static String uniqueRoute(String hint) {
        return "/lbl-" + hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code wakegate.enable=true} plus the given pairs (key without the {@code wakegate.} prefix). */
    static Map<String, String> labels(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(LabelConfig.ENABLE, "true");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put("wakegate." + pairs[i], pairs[i + 1]);
        }
        return out;
    }

    /**
     * busybox httpd on 127.0.0.1:port answering {@code body} at {@code /} and at {@code route/}, so
     * both the readiness probe and a proxied request (the path is forwarded unchanged) get a 200.
     */
    static String httpServerScript(int port, String route, String body) {
        return httpServerScriptAt(port, body, route);
    }

    /** The same, answering {@code body} under each of {@code routes}. */
    static String httpServerScriptAt(int port, String body, String... routes) {
        StringBuilder sh = new StringBuilder("mkdir -p /www && echo " + body + " > /www/index.html");
        for (String route : routes) {
            sh.append(" && mkdir -p /www").append(route).append(" && echo ").append(body).append(" > /www")
                    .append(route).append("/index.html");
        }
        return sh.append(" && exec httpd -f -p 127.0.0.1:").append(port).append(" -h /www").toString();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** The proxy's entry for {@code name} under {@code GET /health/containers}, or null when not managed. */
    static JsonNode managed(WakegateHarness proxy, String name) {
        HttpResponse<String> r = proxy.get("/health/containers");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /health/containers: " + r.statusCode() + " " + r.body());
        }
        JsonNode c = json(r).path("containers").get(name);
        return c == null || c.isNull() ? null : c;
    }

    static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("content-type").orElse("");
    }

    /** Engine state of a container, as {@code docker inspect} says ("created", "running", "exited", ...). */
    static String engineState(DockerFixture docker, String name) {
        return docker.status(name);
    }
}
