package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.wakegate.provider.docker.EngineJson;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The engine's service and task endpoints, as JSON trees: {@code GET /services/{name}},
 * {@code GET /services}, {@code GET /tasks}, {@code POST /services/{id}/update}. A service's spec
 * is sent back exactly as the engine gave it, with only the replica count and a label changed:
 * docker-java's model of a spec drops fields it does not know, and a spec sent back without them
 * would change the service (and restart its tasks). Requests and their failures are
 * {@link EngineJson}'s. Runs on the engine-call workers.
 */
final class SwarmApi {
    private final EngineJson engine;

    SwarmApi(DockerHttpClient http) {
        this.engine = new EngineJson(http);
    }

    /** The service named exactly {@code name}; null when there is none (the engine also matches id prefixes, which do not count). */
    @Nullable JsonNode service(String name) throws IOException {
        JsonNode s;
        try {
            s = engine.get("/services/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
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
        return engine.get("/info").path("Swarm").path("ControlAvailable").asBoolean(false);
    }

    /** Every service. */
    List<JsonNode> services() throws IOException {
        return EngineJson.elements(engine.get("/services"));
    }

    /** The tasks of one service (by id), or of every service when null: history included. */
    List<JsonNode> tasks(@Nullable String serviceId) throws IOException {
        if (serviceId == null) {
            return EngineJson.elements(engine.get("/tasks"));
        }
        ObjectNode filters = EngineJson.JSON.createObjectNode();
        filters.putArray("service").add(serviceId);
        return EngineJson.elements(engine.get("/tasks?filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8)));
    }

    /** Sends {@code spec} as the service's new spec; {@code version} guards against a concurrent update. */
    void update(String id, long version, JsonNode spec) throws IOException {
        engine.post("/services/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/update?version=" + version, spec);
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
