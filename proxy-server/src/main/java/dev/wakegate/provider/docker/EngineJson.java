package dev.wakegate.provider.docker;

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
 * The engine's container endpoints over docker-java's transport: the reads ({@code GET
 * /containers/json}, {@code GET /containers/{id}/json}, {@code GET /version}, {@code GET /_ping}) as
 * JSON trees; the verbs ({@code POST /containers/{id}/start}, {@code stop}, {@code pause},
 * {@code unpause}) as bare requests; and {@code GET /events}, opened as a stream whose objects
 * {@link EventFeed} reads as trees too (on a transport without response timeout).
 * The first list and inspect through docker-java's models cost ~300 ms at start (Jackson
 * introspects the whole inspect model by reflection, in the interpreter, before the listeners
 * open), and its {@code Event} model ~50 ms and most of Jackson's databind as the first request
 * came in, while the fields the proxy needs are a handful: a tree parse of them costs almost
 * nothing. docker-java's command client, there only for the verbs (four requests without a body),
 * loaded ~190 classes more at start (~1 MB of RSS at rest). Failures are docker-java's exceptions
 * ({@link NotFoundException} for a 404, {@link DockerException} with the engine's body otherwise),
 * which {@link EngineCalls} types. The Swarm provider's requests go through {@link #get} and
 * {@link #post(String, JsonNode)} too. Runs on the engine-call workers, the streams on their own readers.
 */
public final class EngineJson {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final DockerHttpClient http;

    public EngineJson(DockerHttpClient http) {
        this.http = http;
    }

    /** {@code GET /version}: the engine's API version ({@code ApiVersion}), e.g. "1.41". */
    String apiVersion() throws IOException {
        return get("/version").path("ApiVersion").asText("?");
    }

    /** {@code GET /_ping}: returns once the engine answers (below 400), else throws as {@link #open} does. */
    void ping() throws IOException {
        open("/_ping").close();
    }

    /**
     * {@code GET /events?filters=...}, e.g. {@code {"type": ["container"], "event": ["start"]}}:
     * the open response, whose body is the stream of event objects. Closing the response (from any
     * thread) aborts its connection.
     */
    DockerHttpClient.Response events(Map<String, List<String>> filters) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        filters.forEach((name, values) -> values.forEach(json.withArray(name)::add));
        return open("/events?filters=" + URLEncoder.encode(json.toString(), StandardCharsets.UTF_8));
    }

    /** {@code docker inspect ID-OR-NAME}. */
    JsonNode inspect(String idOrName) throws IOException {
        return get("/containers/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8) + "/json");
    }

    /** {@code docker ps -a}, optionally {@code --filter label=KEY=VALUE}. */
    List<JsonNode> list(String labelKey, String labelValue) throws IOException {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("label").add(labelKey + "=" + labelValue);
        return elements(get("/containers/json?all=1&filters="
                + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8)));
    }

    /** {@code docker ps -a}. */
    List<JsonNode> listAll() throws IOException {
        return elements(get("/containers/json?all=1"));
    }

    /**
     * {@code POST /containers/ID/VERB[?query]}: returns once the engine has answered below 400, a
     * 304 (the container is in that state already) included; else throws as {@link #open} does.
     */
    void verb(String id, String verbAndQuery) throws IOException {
        post("/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/" + verbAndQuery, null);
    }

    /** {@code GET path}: the answer's JSON, when below 400; else throws as {@link #open} does. */
    public JsonNode get(String path) throws IOException {
        try (DockerHttpClient.Response r = open(path); InputStream body = r.getBody()) {
            return JSON.readTree(body);
        }
    }

    /** {@code POST path} with {@code body} as JSON (none when null): returns once answered below 400, else throws as {@link #open} does. */
    public void post(String path, @Nullable JsonNode body) throws IOException {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").bodyBytes(JSON.writeValueAsBytes(body));
        }
        send(request.build()).close();
    }

    /** {@code GET path}, answered below 400: the open response. An error status is docker-java's exception for it, with the engine's message. */
    private DockerHttpClient.Response open(String path) throws IOException {
        return send(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build());
    }

    private DockerHttpClient.Response send(DockerHttpClient.Request request) throws IOException {
        DockerHttpClient.Response r = http.execute(request);
        int status = r.getStatusCode();
        if (status < 400) {
            return r;
        }
        try (r; InputStream body = r.getBody()) {
            String message = new String(body.readNBytes(16 * 1024), StandardCharsets.UTF_8);
            if (status == 404) {
                throw new NotFoundException("Status 404: " + message);
            }
            throw new DockerException("Status " + status + ": " + message, status);
        }
    }

    /** The elements of a JSON array answer. */
    public static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }
}
