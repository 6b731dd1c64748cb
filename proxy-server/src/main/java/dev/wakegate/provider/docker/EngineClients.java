package dev.wakegate.provider.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The docker-java transports of one engine ({@link EngineJson} speaks over them): one for the calls,
 * one for the event streams, and one per stop grace period longer than the call timeout.
 *
 * <p>A call's deadline ({@link EngineCalls}) is what the caller sees and what frees its worker;
 * the socket's response timeout, a little longer so that the deadline always speaks first, is a
 * backstop for {@code tcp://} engines (the unix-socket transport ignores it).
 */
public final class EngineClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerProvider.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Socket read timeouts exceed the call deadlines by this. */
    private static final Duration SOCKET_SLACK = Duration.ofSeconds(1);

    private final String dockerHost;
    /** DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, read by {@link DockerTls}; else no TLS (null for tcp://). */
    private final @Nullable SSLConfig tls;
    private final Duration callTimeout;
    private final DockerHttpClient callsHttp;
    /** Event streams: no response timeout, a quiet engine is not a dead one (the liveness ping tells). */
    private final DockerHttpClient eventsHttp;
    /** Transports for stops whose grace outlasts {@link #callTimeout}, keyed by their deadline in milliseconds. */
    private final Map<Long, DockerHttpClient> stops = new ConcurrentHashMap<>();

    EngineClients(String dockerHost, Duration callTimeout) {
        this.dockerHost = dockerHost;
        // zerodep speaks https to a tcp:// engine whenever it is given an SSL config, so a plain
        // tcp:// engine gets none; a unix socket gets the inert one (see PlainTransport).
        this.tls = DockerTls.fromEnvironment(System.getenv(), System.getProperty("user.home"))
                .orElse(dockerHost.startsWith("unix:") ? PlainTransport.INSTANCE : null);
        this.callTimeout = callTimeout;
        this.callsHttp = newHttpClient(callTimeout.plus(SOCKET_SLACK));
        this.eventsHttp = newHttpClient(null);
    }

    /**
     * For every call bounded by the call timeout; the Swarm provider's too, which sends a service's
     * spec back exactly as the engine gave it (docker-java's model of a spec drops fields it does not know).
     */
    public DockerHttpClient callsHttp() {
        return callsHttp;
    }

    /** The transport for the event streams ({@link EventFeed}, read as JSON by {@link EngineJson}), which have no deadline. */
    DockerHttpClient eventsHttp() {
        return eventsHttp;
    }

    /** For a stop whose deadline is {@code limit} (its grace period plus the call timeout). */
    DockerHttpClient forStop(Duration limit) {
        if (limit.compareTo(callTimeout) <= 0) {
            return callsHttp;
        }
        return stops.computeIfAbsent(limit.toMillis(), ms -> newHttpClient(Duration.ofMillis(ms).plus(SOCKET_SLACK)));
    }

    private DefaultDockerClientConfig config() {
        // TLS is ours (DockerTls): docker-java's own reads the PEM files with BouncyCastle, not shipped.
        return DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(false)
                .build();
    }

    private DockerHttpClient newHttpClient(@Nullable Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config().getDockerHost())
                .sslConfig(tls)
                .maxConnections(16)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return http.build();
    }

    @Override
    public void close() {
        closeQuietly(callsHttp);
        closeQuietly(eventsHttp);
        stops.values().forEach(EngineClients::closeQuietly);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing docker client", e);
        }
    }
}
