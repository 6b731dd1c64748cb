package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Local endpoints for the relay's tests: {@code /health/*} answers 200 (or, made with
 * {@link #answeringLater}, whatever the test completes its {@link #pending} answers with), and
 * records the client address each request was given.
 */
final class RecordingEndpoints implements LocalEndpoints {
    /** The address given with each request, in order. */
    final List<SocketAddress> clients = new CopyOnWriteArrayList<>();
    /** The answers still to give, one per request in order, when made with {@link #answeringLater}. */
    final List<CompletableFuture<LocalResponse>> pending = new CopyOnWriteArrayList<>();
    private final boolean later;

    RecordingEndpoints() {
        this(false);
    }

    private RecordingEndpoints(boolean later) {
        this.later = later;
    }

    /** Endpoints whose answers come when the test completes them ({@link #pending}). */
    static RecordingEndpoints answeringLater() {
        return new RecordingEndpoints(true);
    }

    @Override
    public boolean handles(String path) {
        return path.startsWith("/health/");
    }

    @Override
    public CompletableFuture<LocalResponse> handle(String method, String path, String authorization,
                                                   SocketAddress remote) {
        clients.add(remote);
        if (later) {
            CompletableFuture<LocalResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }
        return CompletableFuture.completedFuture(new LocalResponse(200, "text/plain", new byte[0]));
    }
}
