package dev.wakegate.provider;

import dev.wakegate.config.Workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One {@link WorkloadProvider} over two engines' worth of workloads: each verb goes to the
 * provider of the named workload's kind ({@code kind: container} or {@code kind: service} of its
 * entry), {@link #list} and {@link #subscribe} cover both. So the lifecycle, which knows no
 * engine, wakes containers and Swarm services alike.
 *
 * <p>Both event streams reach the one listener: each says RESYNC when it (re)connects (the
 * lifecycle then lists both again) and DISCONNECTED when its engine goes away. They are delivered
 * on each provider's own thread, and the lifecycle hops onto its lane anyway.
 */
public final class ProvidersByKind implements WorkloadProvider {
    private final WorkloadProvider containers;
    private final WorkloadProvider services;
    private final Function<String, Workload.Kind> kindOf;

    /**
     * @param kindOf the kind of a managed name (from its entry); a name it does not know is a container
     */
    public ProvidersByKind(WorkloadProvider containers, WorkloadProvider services,
                           Function<String, Workload.Kind> kindOf) {
        this.containers = containers;
        this.services = services;
        this.kindOf = kindOf;
    }

    private WorkloadProvider of(String name) {
        return kindOf.apply(name) == Workload.Kind.SERVICE ? services : containers;
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        return of(name).start(name);
    }

    @Override
    public CompletableFuture<Void> stop(String name, Duration grace) {
        return of(name).stop(name, grace);
    }

    @Override
    public CompletableFuture<Void> pause(String name) {
        return of(name).pause(name);
    }

    @Override
    public CompletableFuture<Void> unpause(String name) {
        return of(name).unpause(name);
    }

    @Override
    public CompletableFuture<WorkloadInfo> inspect(String name) {
        return of(name).inspect(name);
    }

    /** Both listings, containers first; fails when either does (the lifecycle then keeps its view). */
    @Override
    public CompletableFuture<List<WorkloadInfo>> list() {
        CompletableFuture<List<WorkloadInfo>> a = containers.list();
        CompletableFuture<List<WorkloadInfo>> b = services.list();
        return a.thenCombine(b, (x, y) -> {
            List<WorkloadInfo> all = new ArrayList<>(x.size() + y.size());
            all.addAll(x);
            all.addAll(y);
            return all;
        });
    }

    @Override
    public AutoCloseable subscribe(Consumer<WorkloadEvent> listener) {
        AutoCloseable first = containers.subscribe(listener);
        AutoCloseable second;
        try {
            second = services.subscribe(listener);
        } catch (RuntimeException e) {
            try {
                first.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return () -> {
            try {
                second.close();
            } finally {
                first.close();
            }
        };
    }

    /** Closes neither: each provider belongs to whoever made it. */
    @Override
    public void close() {
    }
}
