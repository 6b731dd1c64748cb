package dev.wakegate.metrics;

import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.relay.UpstreamFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {
    private final Metrics metrics = Metrics.create();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void aScrapeBeforeTheRuntimeMetricsAreBoundStillCarriesThem() {
        // the server binds them a second after it accepts; a scrape in that second binds them itself
        try (Metrics unbound = Metrics.createUnbound()) {
            assertThat(unbound.registry().find("jvm.memory.used").meters()).isEmpty();
            PrometheusText text = PrometheusText.parse(unbound.prometheusText());
            assertThat(text.typedNames).contains("jvm_memory_used_bytes", "jvm_threads_live_threads");
            int meters = unbound.registry().getMeters().size();
            unbound.bindRuntimeMetrics(); // the server's delayed binding, after that scrape: nothing twice
            assertThat(unbound.registry().getMeters()).hasSize(meters);
        }
    }

    @Test
    void requestsAreCountedPerRouteAndStatusClass() {
        MicrometerProxyMetrics proxy = metrics.proxyMetrics();
        proxy.requestCompleted("/assets", 200);
        proxy.requestCompleted("/assets", 204);
        proxy.requestCompleted("/assets", 503);
        proxy.requestCompleted(null, 404);

        assertThat(requests("/assets", "2xx")).isEqualTo(2);
        assertThat(requests("/assets", "5xx")).isEqualTo(1);
        assertThat(requests("none", "4xx")).isEqualTo(1);
        PrometheusText text = PrometheusText.parse(metrics.prometheusText());
        assertThat(text.value("wakegate_requests_total", "route=\"/assets\"", "status_class=\"2xx\"")).isEqualTo(2.0);
        assertThat(text.value("wakegate_requests_total", "route=\"none\"", "status_class=\"4xx\"")).isEqualTo(1.0);
    }

    @Test
    void warmRequestsRegisterNoNewMetersAfterTheFirst() {
        MicrometerProxyMetrics proxy = metrics.proxyMetrics();
        proxy.requestCompleted("/assets", 200);
        int meters = metrics.registry().getMeters().size();
        for (int i = 0; i < 1000; i++) {
            proxy.requestCompleted("/assets", 200);
        }
        assertThat(metrics.registry().getMeters()).hasSize(meters);
        assertThat(requests("/assets", "2xx")).isEqualTo(1001);
    }

    @Test
    void upstreamErrorsAreCountedByUpstreamAndReason() {
        MicrometerProxyMetrics proxy = metrics.proxyMetrics();
        proxy.upstreamError("127.0.0.1:3000", UpstreamFailure.CONNECT_REFUSED);
        proxy.upstreamError("127.0.0.1:3000", UpstreamFailure.CONNECT_REFUSED);
        proxy.upstreamError("127.0.0.1:3000", UpstreamFailure.READ_TIMEOUT);
        PrometheusText text = PrometheusText.parse(metrics.prometheusText());
        assertThat(text.value("wakegate_upstream_errors_total", "upstream=\"127.0.0.1:3000\"", "reason=\"connect_refused\""))
                .isEqualTo(2.0);
        // the label is the failure's tag, never free text (a series per message)
        assertThat(text.value("wakegate_upstream_errors_total", "reason=\"read_timeout\"")).isEqualTo(1.0);
    }

    @Test
    void parkedGaugeFollowsTheDeltas() {
        MicrometerProxyMetrics proxy = metrics.proxyMetrics();
        proxy.parked(1);
        proxy.parked(1);
        proxy.parked(1);
        proxy.parked(-1);
        assertThat(PrometheusText.parse(metrics.prometheusText()).value("wakegate_parked_requests")).isEqualTo(2.0);
    }

    @Test
    void coldStartHistogramCountsOneAfterOneReady() {
        metrics.lifecycle().onStartRequested("grafana");
        metrics.lifecycle().onReady("grafana", 1500);
        PrometheusText text = PrometheusText.parse(metrics.prometheusText());
        assertThat(text.typedNames).contains("wakegate_cold_start_seconds");
        assertThat(text.value("wakegate_cold_start_seconds_count", "container=\"grafana\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_cold_start_seconds_sum", "container=\"grafana\"")).isEqualTo(1.5);
        assertThat(text.value("wakegate_cold_start_seconds_bucket", "container=\"grafana\"", "le=\"1.0\"")).isZero();
        assertThat(text.value("wakegate_cold_start_seconds_bucket", "container=\"grafana\"", "le=\"2.0\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_cold_start_seconds_bucket", "container=\"grafana\"", "le=\"0.05\"")).isZero();
        assertThat(text.value("wakegate_cold_start_seconds_bucket", "container=\"grafana\"", "le=\"120.0\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_container_start_attempts_total", "container=\"grafana\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_container_starts_total", "container=\"grafana\"", "result=\"success\""))
                .isEqualTo(1.0);
        Timer timer = metrics.registry().find("wakegate.cold.start").tag("container", "grafana").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500.0);
    }

    @Test
    void startsAndStopsAreCountedByResultAndReason() {
        LifecycleMetrics lifecycle = metrics.lifecycle();
        lifecycle.onStartFailed("kibana", "timeout");
        lifecycle.onStopped("kibana", "idle for 31m (timeout 30m)");
        lifecycle.onStopped("kibana", "idle");
        lifecycle.onStartFailed("grafana", StartFailure.Kind.RUNTIME_UNAVAILABLE, "docker engine unreachable: refused");
        lifecycle.onStopFailed("app", "Status 500: {\"message\":\"boom\"}");
        lifecycle.onStopped("grafana", "manual");
        lifecycle.onStopFailed("grafana", "docker_unavailable");
        PrometheusText text = PrometheusText.parse(metrics.prometheusText());
        assertThat(text.value("wakegate_container_starts_total", "container=\"kibana\"", "result=\"failure\"",
                "reason=\"timeout\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_container_stops_total", "container=\"kibana\"", "result=\"success\"",
                "reason=\"idle\"")).isEqualTo(2.0);
        assertThat(text.value("wakegate_container_stops_total", "container=\"grafana\"", "result=\"success\"",
                "reason=\"manual\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_container_stops_total", "container=\"grafana\"", "result=\"failure\"",
                "reason=\"docker_unavailable\"")).isEqualTo(1.0);
        assertThat(text.value("wakegate_container_starts_total", "container=\"grafana\"", "result=\"failure\"",
                "reason=\"runtime_unavailable\"")).isEqualTo(1.0);
        // An engine's error text never becomes a label value.
        assertThat(text.value("wakegate_container_stops_total", "container=\"app\"", "result=\"failure\"",
                "reason=\"other\"")).isEqualTo(1.0);
    }

    @Test
    void ownMetricsAreWakegatesAndLibraryMetricsKeepTheirStandardNames() {
        metrics.proxyMetrics().requestCompleted("/assets", 200);
        metrics.lifecycle().onReady("app", 80);
        ByteBuf touch = ByteBufAllocator.DEFAULT.directBuffer(64);
        touch.release();
        PrometheusText text = PrometheusText.parse(metrics.prometheusText());

        assertThat(text.samples).isNotEmpty();
        // Stock JVM dashboards query jvm_*, process_*, system_*: no prefix on Micrometer's binders.
        assertThat(text.typedNames).allSatisfy(n -> assertThat(n).matches("(wakegate|jvm|process|system|netty)_.*"));
        assertThat(text.typedNames).noneMatch(n -> n.startsWith("wakegate_jvm_") || n.startsWith("wakegate_process_"));
        assertThat(text.typedNames).contains(
                "jvm_memory_used_bytes",
                "jvm_gc_memory_allocated_bytes_total",
                "jvm_threads_live_threads",
                "jvm_classes_loaded_classes",
                "process_uptime_seconds",
                "system_cpu_count",
                "netty_allocator_memory_used",
                "wakegate_requests_total",
                "wakegate_parked_requests");
    }

    @Test
    void showsTheAvailableMemoryOfTheLastIdleCheckAndNaNWhileUnknown() {
        java.util.concurrent.atomic.AtomicReference<Long> bytes = new java.util.concurrent.atomic.AtomicReference<>();
        metrics.lifecycle().memoryAvailable(bytes::get);
        assertThat(PrometheusText.parse(metrics.prometheusText()).value("wakegate_memory_available_bytes")).isNaN();
        bytes.set(300L << 20);
        assertThat(PrometheusText.parse(metrics.prometheusText()).value("wakegate_memory_available_bytes"))
                .isEqualTo((double) (300L << 20));
    }

    @Test
    void countsDockerStartCallsAndShowsWhetherEvictionIsSuspended() {
        java.util.concurrent.atomic.AtomicBoolean suspended = new java.util.concurrent.atomic.AtomicBoolean();
        metrics.lifecycle().evictionSuspended(suspended::get);
        metrics.lifecycle().onStartIssued("app");
        metrics.lifecycle().onStartIssued("app");
        PrometheusText before = PrometheusText.parse(metrics.prometheusText());
        assertThat(before.value("wakegate_docker_start_calls_total", "container=\"app\"")).isEqualTo(2.0);
        assertThat(before.value("wakegate_eviction_suspended")).isEqualTo(0.0);
        suspended.set(true);
        assertThat(PrometheusText.parse(metrics.prometheusText()).value("wakegate_eviction_suspended")).isEqualTo(1.0);
    }

    @Test
    void nettyAllocatorMetricsCoverTheDefaultAndPooledAllocators() {
        PrometheusText text = PrometheusText.parse(metrics.prometheusText());
        assertThat(text.samples.stream()
                .filter(s -> s.name().equals("netty_allocator_memory_used"))
                .map(s -> s.labels().replaceAll(".*allocator_type=\"([A-Za-z]+)\".*", "$1"))
                .distinct())
                .contains("PooledByteBufAllocator", ByteBufAllocator.DEFAULT.getClass().getSimpleName());
    }

    private double requests(String route, String statusClass) {
        Counter c = metrics.registry().find("wakegate.requests").tag("route", route).tag("status_class", statusClass)
                .counter();
        return c == null ? 0 : c.count();
    }
}
