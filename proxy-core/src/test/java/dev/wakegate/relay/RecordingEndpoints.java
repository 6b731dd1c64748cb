package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Local endpoints for the relay's tests: {@code /health/*} answers 200, and records the client address each request was given. */
final class RecordingEndpoints implements LocalEndpoints {
    /** The address given with each request, in order. */
    final List<SocketAddress> clients = new CopyOnWriteArrayList<>();

    @Override
    public boolean handles(String path) {
        return path.startsWith("/health/");
    }

    @Override
    public CompletableFuture<LocalResponse> handle(String method, String path, String authorization,
                                                   SocketAddress remote) {
        clients.add(remote);
        return CompletableFuture.completedFuture(new LocalResponse(200, "text/plain", new byte[0]));
    }
}
