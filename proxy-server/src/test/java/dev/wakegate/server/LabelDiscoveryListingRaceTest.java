package dev.wakegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.lifecycle.NettyReadinessProbe;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.state.InMemoryStateStore;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listing of the engine is older than the events that arrive while it is under way: label
 * discovery must neither forget a container created meanwhile (its routes would vanish until the
 * next event) nor bring back one destroyed meanwhile. The engine here answers by hand, so the
 * order is the test's.
 */
class LabelDiscoveryListingRaceTest {
    private final HeldEngine engine = new HeldEngine();
    private final HeldEngine noServices = new HeldEngine();
    private final AtomicReference<HostRouter> routes = new AtomicReference<>();
    private final EventLoopGroup control = new MultiThreadIoEventLoopGroup(1,
            NioIoHandler.newFactory());
    private Lifecycle lifecycle;
    private LabelDiscovery discovery;

    @AfterEach
    void close() throws Exception {
        if (discovery != null) {
            discovery.close();
        }
        if (lifecycle != null) {
            lifecycle.close();
        }
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private void start() throws Exception {
        ProxyConfig config = ConfigLoader.parse("listen: 127.0.0.1:8000\n", "race.yml", Map.of()); // nothing listens here
        lifecycle = Lifecycle.builder(config).provider(engine).store(new InMemoryStateStore())
                .probe(NettyReadinessProbe.nio(control)).scheduler(control.next()).build();
        discovery = new LabelDiscovery(config, engine, noServices, lifecycle, routes::set);
        discovery.start();
    }

    private static WorkloadInfo labelled(String name, String route) {
        return new WorkloadInfo("id-" + name, name, null, WorkloadInfo.Status.CREATED, WorkloadInfo.Health.NONE, false,
                0, null, Map.of(LabelConfig.ENABLE, "true", LabelConfig.ROUTE, route,
                        LabelConfig.UPSTREAM, "127.0.0.1:9"));
    }

    private List<String> routePaths() {
        HostRouter r = routes.get();
        return r == null ? List.of() : r.routes().stream().map(Route::path).toList();
    }

    @Test
    void aContainerCreatedWhileAListingIsUnderWayKeepsItsRoutes() throws Exception {
        start();
        engine.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC)); // the listing begins ...
        WorkloadInfo web = labelled("web", "/web");
        engine.inspected.put("web", web);
        engine.emit(new WorkloadEvent(WorkloadEvent.Type.CREATE, "id-web", "web", null, null, Map.of(), 0, null));
        assertThat(routePaths()).containsExactly("/web");

        engine.listings.get(0).complete(List.of()); // ... and ends without it
        assertThat(routePaths()).as("the listing began before the container was created").containsExactly("/web");
    }

    @Test
    void aContainerDestroyedWhileAListingIsUnderWayIsNotBroughtBack() throws Exception {
        start();
        WorkloadInfo web = labelled("web", "/web");
        engine.inspected.put("web", web);
        engine.emit(new WorkloadEvent(WorkloadEvent.Type.CREATE, "id-web", "web", null, null, Map.of(), 0, null));
        assertThat(routePaths()).containsExactly("/web");

        engine.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC)); // the listing begins ...
        engine.emit(new WorkloadEvent(WorkloadEvent.Type.DESTROY, "id-web", "web", null, null, Map.of(), 0, null));
        assertThat(routePaths()).isEmpty();

        engine.listings.get(0).complete(List.of(web)); // ... and ends with it
        assertThat(routePaths()).as("the listing began before the container was destroyed").isEmpty();
    }

    @Test
    void aListingStillDecidesWhatNoEventTouched() throws Exception {
        start();
        engine.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC));
        engine.listings.get(0).complete(List.of(labelled("api", "/api")));
        assertThat(routePaths()).containsExactly("/api");

        engine.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC));
        engine.listings.get(1).complete(List.of());
        assertThat(routePaths()).as("gone from a later listing, no event in between").isEmpty();
    }

    @Test
    void theFirstListingIsDoneOnlyOnceItsRoutesAreInTheRouter() throws Exception {
        start();
        CompletableFuture<Void> first = discovery.firstListing();
        engine.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC));
        noServices.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC));
        assertThat(first).as("neither listing answered").isNotDone();

        engine.listings.get(0).complete(List.of(labelled("api", "/api")));
        assertThat(first).as("the services' listing still under way").isNotDone();
        noServices.listings.get(0).complete(List.of());
        assertThat(first).isCompleted();
        assertThat(routePaths()).as("in the router by the time it completes").containsExactly("/api");
    }

    @Test
    void anEngineThatFailsOrDisconnectsDoesNotHoldTheFirstListing() throws Exception {
        start();
        CompletableFuture<Void> first = discovery.firstListing();
        engine.emit(WorkloadEvent.of(WorkloadEvent.Type.RESYNC));
        engine.listings.get(0).completeExceptionally(new IllegalStateException("engine said no"));
        assertThat(first).isNotDone();
        noServices.emit(WorkloadEvent.disconnected("engine unreachable"));
        assertThat(first).as("completed, never exceptionally").isCompleted();
        assertThat(first.isCompletedExceptionally()).isFalse();
    }

    /** An engine whose listings the test completes, with inspections answered at once. */
    private static final class HeldEngine implements WorkloadProvider {
        final List<CompletableFuture<List<WorkloadInfo>>> listings = new ArrayList<>();
        final Map<String, WorkloadInfo> inspected = new ConcurrentHashMap<>();
        private final List<Consumer<WorkloadEvent>> listeners = new ArrayList<>();

        void emit(WorkloadEvent e) {
            listeners.forEach(l -> l.accept(e));
        }

        @Override
        public CompletableFuture<Void> start(String name) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stop(String name, Duration grace) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> pause(String name) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> unpause(String name) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<WorkloadInfo> inspect(String name) {
            return CompletableFuture.completedFuture(inspected.getOrDefault(name, WorkloadInfo.missing(name)));
        }

        @Override
        public synchronized CompletableFuture<List<WorkloadInfo>> list() {
            CompletableFuture<List<WorkloadInfo>> f = new CompletableFuture<>();
            listings.add(f);
            return f;
        }

        @Override
        public AutoCloseable subscribe(Consumer<WorkloadEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
