package dev.wakegate.testing;

import dev.wakegate.config.ConfigException;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.server.WakegateServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole wakegate (WakegateServer, as Main runs it) started in the test JVM from YAML text, on a
 * free loopback port, with a real Docker engine and the configured state store. The YAML must not
 * set {@code listen}: the harness does. Close it to drain and stop it.
 */
public final class WakegateHarness implements AutoCloseable {
    private final WakegateServer server;
    private final int port;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private WakegateHarness(WakegateServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a proxy from {@code yaml} with no environment overrides. */
    public static WakegateHarness start(String yaml) {
        return start(yaml, Map.of());
    }

    /**
     * Starts a proxy from {@code yaml}; {@code env} are the environment variables it sees (REDIS_URL, ...).
     * It listens on a port the kernel picks (no free-port race with other tests).
     */
    public static WakegateHarness start(String yaml, Map<String, String> env) {
        ProxyConfig config;
        try {
            config = ConfigLoader.parse(yaml, "test.yml", new HashMap<>(env));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("test config refused: " + e.getMessage(), e);
        }
        WakegateServer server = WakegateServer.start(config.toBuilder().listen(new HostPort("127.0.0.1", 0)).build());
        return new WakegateHarness(server, server.httpAddress().getPort());
    }

    /** Starts a proxy from the config file {@code file} (so that it can reload it), listening where it says. */
    public static WakegateHarness start(java.nio.file.Path file) {
        ProxyConfig config;
        try {
            config = ConfigLoader.load(file, Map.of());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("test config refused: " + e.getMessage(), e);
        }
        WakegateServer server = WakegateServer.start(config);
        return new WakegateHarness(server, server.httpAddress().getPort());
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public WakegateServer server() {
        return server;
    }

    /** GET with a generous timeout (cold starts included). */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    /** POST without a body (the admin operations). */
    public HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
