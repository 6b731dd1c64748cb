package dev.wakegate.provider;

import dev.wakegate.config.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Each verb reaches the provider of the workload's kind; listings and events cover both. */
class ProvidersByKindTest {

    /** Records every verb; lists one workload of its own; hands its listener out for events. */
    private static class Recording implements WorkloadProvider {
        final String label;
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Consumer<WorkloadEvent> listener;
        boolean unsubscribed;

        Recording(String label) {
            this.label = label;
        }

        @Override
        public CompletableFuture<Void> start(String name) {
            calls.add("start " + name);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stop(String name, Duration grace) {
            calls.add("stop " + name);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> pause(String name) {
            calls.add("pause " + name);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> unpause(String name) {
            calls.add("unpause " + name);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<WorkloadInfo> inspect(String name) {
            calls.add("inspect " + name);
            return CompletableFuture.completedFuture(WorkloadInfo.missing(name));
        }

        @Override
        public CompletableFuture<List<WorkloadInfo>> list() {
            return CompletableFuture.completedFuture(List.of(WorkloadInfo.missing(label)));
        }

        @Override
        public AutoCloseable subscribe(Consumer<WorkloadEvent> l) {
            listener = l;
            return () -> unsubscribed = true;
        }
    }

    private final Recording containers = new Recording("a-container");
    private final Recording services = new Recording("a-service");
    private final ProvidersByKind providers = new ProvidersByKind(containers, services,
            name -> name.startsWith("svc") ? Workload.Kind.SERVICE : Workload.Kind.CONTAINER);

    @Test
    void eachVerbGoesToTheProviderOfTheWorkloadsKind() {
        providers.start("svc-web").join();
        providers.stop("svc-web", Duration.ofSeconds(1)).join();
        providers.inspect("svc-web").join();
        providers.start("db").join();
        providers.stop("db", Duration.ofSeconds(1)).join();
        providers.inspect("db").join();
        assertThat(services.calls).containsExactly("start svc-web", "stop svc-web", "inspect svc-web");
        assertThat(containers.calls).containsExactly("start db", "stop db", "inspect db");
    }

    @Test
    void aListingHasBothKindsAndEventsOfBothReachTheListenerUntilClosed() throws Exception {
        assertThat(providers.list().join()).extracting(WorkloadInfo::name).containsExactly("a-container", "a-service");

        List<String> heard = new ArrayList<>();
        AutoCloseable subscription = providers.subscribe(e -> heard.add(e.name()));
        containers.listener.accept(new WorkloadEvent(WorkloadEvent.Type.START, "1", "db", null, null, Map.of(), 0));
        services.listener.accept(new WorkloadEvent(WorkloadEvent.Type.START, "2", "svc-web", null, null, Map.of(), 0));
        assertThat(heard).containsExactly("db", "svc-web");

        subscription.close();
        assertThat(containers.unsubscribed).isTrue();
        assertThat(services.unsubscribed).isTrue();
    }

    @Test
    void aListingFailsWhenEitherProviderCannotList() {
        WorkloadProvider broken = new Recording("x") {
            @Override
            public CompletableFuture<List<WorkloadInfo>> list() {
                return CompletableFuture.failedFuture(new IllegalStateException("engine gone"));
            }
        };
        ProvidersByKind p = new ProvidersByKind(containers, broken, name -> Workload.Kind.CONTAINER);
        assertThat(p.list()).isCompletedExceptionally();
    }
}
