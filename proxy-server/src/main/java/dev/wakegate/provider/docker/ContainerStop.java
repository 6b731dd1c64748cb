package dev.wakegate.provider.docker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code docker stop}: the engine signals the container, waits up to the grace period, then kills
 * it, and answers once it is down; so this call's deadline is that grace (in whole seconds, as the
 * engine takes it) plus the call timeout, on a transport whose socket waits as long. A stopped
 * container is left as it is (the engine answers 304).
 */
final class ContainerStop {
    private final EngineCalls calls;
    private final ContainerNames names;
    private final EngineClients clients;

    ContainerStop(EngineCalls calls, ContainerNames names, EngineClients clients) {
        this.calls = calls;
        this.names = names;
        this.clients = clients;
    }

    CompletableFuture<Void> stop(String name, Duration grace) {
        long graceSeconds = Math.max(0, (grace.toMillis() + 999) / 1000);
        Duration limit = Duration.ofSeconds(graceSeconds).plus(calls.callTimeout());
        return calls.call(name, limit, () -> names.onContainer(name, (id, described) -> {
            new EngineJson(clients.forStop(limit)).verb(id, "stop?t=" + graceSeconds);
            return null;
        }));
    }
}
