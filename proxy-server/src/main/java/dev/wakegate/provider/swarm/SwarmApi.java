package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's service and task endpoints, as JSON trees: {@code GET /services/{name}},
 * {@code GET /services}, {@code GET /tasks}, {@code POST /services/{id}/update}. A service's spec
 * is sent back exactly as the engine gave it, with only the replica count and a label changed:
 * docker-java's model of a spec drops fields it does not know, and a spec sent back without them
 * would change the service (and restart its tasks). Runs on the engine-call workers; failures are
 * docker-java's exceptions, which {@code EngineCalls} types.
 */
final class SwarmApi {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DockerHttpClient http;

    SwarmApi(DockerHttpClient http) {
        this.http = http;
    }

    /** The service named exactly {@code name}; null when there is none (the engine also matches id prefixes, which do not count). */
    @Nullable JsonNode service(String name) throws IOException {
        JsonNode s;
        try {
            s = get("/services/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        } catch (NotFoundException none) {
            return null;
        }
        return name.equals(s.path("Spec").path("Name").asText()) || name.equals(s.path("ID").asText()) ? s : null;
    }

    /**
     * Whether the engine is a swarm manager ({@code GET /info}: {@code Swarm.ControlAvailable}).
     * Asked before listing services: an engine that is not one answers the service endpoints with
     * 503, which the transport retries once after a second (Apache HttpClient's retry strategy).
     */
    boolean manager() throws IOException {
        return get("/info").path("Swarm").path("ControlAvailable").asBoolean(false);
    }

    /** Every service. */
    List<JsonNode> services() throws IOException {
        return elements(get("/services"));
    }

    /** The tasks of one service (by id), or of every service when null: history included. */
    List<JsonNode> tasks(@Nullable String serviceId) throws IOException {
        if (serviceId == null) {
            return elements(get("/tasks"));
        }
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("service").add(serviceId);
        return elements(get("/tasks?filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8)));
    }

    /** Sends {@code spec} as the service's new spec; {@code version} guards against a concurrent update. */
    void update(String id, long version, JsonNode spec) throws IOException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/services/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/update?version=" + version)
                .putHeader("Content-Type", "application/json")
                .bodyBytes(JSON.writeValueAsBytes(spec))
                .build();
        try (DockerHttpClient.Response r = http.execute(request)) {
            check(r);
        }
    }

    private JsonNode get(String path) throws IOException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(path)
                .build();
        try (DockerHttpClient.Response r = http.execute(request)) {
            check(r);
            try (InputStream body = r.getBody()) {
                return JSON.readTree(body);
            }
        }
    }

    /** An error status becomes docker-java's exception for it, with the engine's message. */
    private static void check(DockerHttpClient.Response r) throws IOException {
        int status = r.getStatusCode();
        if (status < 400) {
            return;
        }
        String message;
        try (InputStream body = r.getBody()) {
            byte[] bytes = body.readNBytes(16 * 1024);
            message = new String(bytes, StandardCharsets.UTF_8);
        }
        if (status == 404) {
            throw new NotFoundException("Status 404: " + message);
        }
        throw new DockerException("Status " + status + ": " + message, status);
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    /** The labels of a service's spec (not of its tasks' containers). */
    static Map<String, String> labels(JsonNode service) {
        JsonNode node = service.path("Spec").path("Labels");
        if (!node.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
