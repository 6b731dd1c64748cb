package dev.wakegate.server;

import dev.wakegate.admin.AdminModel;
import dev.wakegate.async.Futures;
import dev.wakegate.config.AutomationSettings;
import dev.wakegate.lifecycle.AutomationSnapshot;
import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.ContainerStatus;
import dev.wakegate.lifecycle.IdleCheckReport;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.lifecycle.LifecycleStats;
import dev.wakegate.lifecycle.NotManagedException;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.route.Route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Adapts the {@link Lifecycle} to what the {@code /health/*} endpoints read and do. Reads are
 * memory snapshots; operations return the lifecycle's futures mapped to outcomes.
 */
final class LifecycleAdminModel implements AdminModel {
    private final Lifecycle lifecycle;
    private final Supplier<List<Route>> routes;

    LifecycleAdminModel(Lifecycle lifecycle, Supplier<List<Route>> routes) {
        this.lifecycle = lifecycle;
        this.routes = routes;
    }

    @Override
    public AutomationSettings settings() {
        return lifecycle.settings();
    }

    @Override
    public List<AdminModel.ContainerSnapshot> containers() {
        List<AdminModel.ContainerSnapshot> out = new ArrayList<>();
        for (ContainerStatus c : lifecycle.containers().values()) {
            out.add(new AdminModel.ContainerSnapshot(c.name(), c.state().reportedName(), c.priority(), c.lastAccess(),
                    c.idleTimeoutMinutes(), c.health() == null ? "none" : c.health().name().toLowerCase(),
                    (int) c.inFlight(), (int) c.openConnections(), c.fromLabels() ? ManagedBy.LABELS : ManagedBy.YAML,
                    c.sleepingSince(), c.expectedStartMillis(), startFailure(c)));
        }
        return out;
    }

    /** The reason of the latest failed start while no other start runs: "down", not "dormant". */
    private static @Nullable String startFailure(ContainerStatus c) {
        StartFailure f = c.lastFailure();
        return f == null || c.startRequested() != null ? null : f.reason();
    }

    @Override
    public List<ContainerStatus> wakeProgress(List<String> names) {
        return lifecycle.wakeProgress(names);
    }

    @Override
    public CompletableFuture<Void> awaitReady(List<String> names) {
        return lifecycle.gate().awaitReady(names);
    }

    @Override
    public Map<String, List<String>> routes() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Route r : routes.get()) {
            out.put(r.name(), r.containers());
        }
        return out;
    }

    @Override
    public Statistics statistics() {
        LifecycleStats.Snapshot s = lifecycle.stats().snapshot();
        LifecycleStats.Counts t = s.total();
        return new Statistics(t.startAttempts(), t.startSuccesses(), t.startFailures(), t.stopAttempts(),
                t.stopSuccesses(), t.stopFailures(), toAdmin(s.lastIdleCheck()));
    }

    @Override
    public Dependency stateStore() {
        AutomationSnapshot a = lifecycle.automation();
        return new Dependency(a.store(), a.storeAvailable());
    }

    @Override
    public Dependency docker() {
        AutomationSnapshot a = lifecycle.automation();
        return new Dependency(a.runtimeAvailable() ? "docker engine" : String.valueOf(a.runtimeProblem()),
                a.runtimeAvailable());
    }

    @Override
    public Eviction eviction() {
        AutomationSnapshot.Eviction e = lifecycle.automation().eviction();
        return e.suspended() ? new Eviction(true, e.suspendedReason(), e.suspendedSince()) : Eviction.ACTIVE;
    }

    @Override
    public Memory memory() {
        AutomationSnapshot.Memory m = lifecycle.automation().memory();
        return new Memory(m.minFreeBytes(), m.availableBytes(), m.pressure(), m.readAt());
    }

    @Override
    public CompletableFuture<OperationResult> start(String name) {
        if (!lifecycle.isManaged(name)) {
            return CompletableFuture.completedFuture(OperationResult.notManaged(name));
        }
        return lifecycle.startContainer(name).handle((ok, error) ->
                error == null ? OperationResult.started(name) : failure(name, error));
    }

    @Override
    public CompletableFuture<OperationResult> stop(String name) {
        if (!lifecycle.isManaged(name)) {
            return CompletableFuture.completedFuture(OperationResult.notManaged(name));
        }
        return lifecycle.stopContainer(name).handle((ok, error) ->
                error == null ? OperationResult.stopped(name) : failure(name, error));
    }

    @Override
    public CompletableFuture<AdminModel.IdleCheckResult> runIdleCheck() {
        return lifecycle.runIdleCheckNow().thenApply(LifecycleAdminModel::toAdmin);
    }

    private static OperationResult failure(String name, Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof NotManagedException) {
            return OperationResult.notManaged(name);
        }
        String detail = cause instanceof StartFailure f ? f.reason() : String.valueOf(cause.getMessage());
        return OperationResult.failed(name, detail);
    }

    private static AdminModel.@Nullable IdleCheckResult toAdmin(@Nullable IdleCheckReport r) {
        if (r == null) {
            return null;
        }
        // The lifecycle's note is "" for a check that ran here; the endpoint leaves "note" out then.
        String note = r.note() == null || r.note().isEmpty() ? null : r.note();
        return new AdminModel.IdleCheckResult(r.at(), r.stopped(), r.skipped(), Map.of(), note);
    }
}
