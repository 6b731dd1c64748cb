package dev.wakegate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's one meter registry (Prometheus), exposed at {@code GET /health/metrics}. Owns the
 * data-path metrics ({@link #proxyMetrics()}), the lifecycle metrics ({@link #lifecycle()}), JVM
 * metrics and Netty allocator metrics. wakegate's own meters are named {@code wakegate_*}; the
 * library binders keep Micrometer's standard names ({@code jvm_*}, {@code process_*},
 * {@code system_*}, {@code netty_allocator_*}) so stock JVM dashboards work unchanged.
 * One instance per process, made by the wiring; no static registry.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private List<io.micrometer.core.instrument.Meter> tlsMeters = List.of(); // guarded by this
    private @org.jspecify.annotations.Nullable ReloadMetrics reloads;
    private final MicrometerProxyMetrics proxyMetrics;
    private final LifecycleMetrics lifecycle;
    private final List<? extends ByteBufAllocatorMetricProvider> allocators;
    private @Nullable JvmGcMetrics gcMetrics;
    private boolean runtimeBound;

    private Metrics(List<? extends ByteBufAllocatorMetricProvider> allocators) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        proxyMetrics = new MicrometerProxyMetrics(registry);
        lifecycle = new LifecycleMetrics(registry);
        this.allocators = allocators;
    }

    /**
     * Metrics with allocator metrics for Netty's default allocator ({@code ByteBufAllocator.DEFAULT},
     * adaptive in Netty 4.2) and {@code PooledByteBufAllocator.DEFAULT}, and the JVM metrics.
     */
    public static Metrics create() {
        Metrics metrics = createUnbound();
        metrics.bindRuntimeMetrics();
        return metrics;
    }

    /**
     * Like {@link #create()}, but the JVM and allocator metrics wait for {@link #bindRuntimeMetrics}:
     * binding them loads the JMX and management classes and took ~100 ms of the start-up, which the
     * proxy spends after its listeners are bound instead (the wiring calls it then).
     */
    public static Metrics createUnbound() {
        List<ByteBufAllocatorMetricProvider> allocators = new ArrayList<>();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            allocators.add(provider);
        }
        allocators.add(PooledByteBufAllocator.DEFAULT);
        return new Metrics(allocators);
    }

    /** Metrics with allocator metrics for exactly these allocators (those the bootstrap uses). */
    public static Metrics create(List<? extends ByteBufAllocatorMetricProvider> allocators) {
        Metrics metrics = new Metrics(List.copyOf(allocators));
        metrics.bindRuntimeMetrics();
        return metrics;
    }

    /** Binds the JVM (memory, GC, threads, classes, CPU, uptime) and Netty allocator metrics; once. */
    public synchronized void bindRuntimeMetrics() {
        if (runtimeBound) {
            return;
        }
        runtimeBound = true;
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ByteBufAllocatorMetricProvider allocator : allocators) {
            if (seen.add(allocator)) {
                new NettyAllocatorMetrics(allocator).bindTo(registry);
            }
        }
    }

    /** For the data path: requests, upstream errors, parked requests. */
    public MicrometerProxyMetrics proxyMetrics() {
        return proxyMetrics;
    }

    /** For the lifecycle listener: cold starts, starts and stops. */
    public LifecycleMetrics lifecycle() {
        return lifecycle;
    }

    /** Meters for the certificates of the HTTPS listener (expiry, reloads). */
    public synchronized void bindTls(dev.wakegate.tls.CertificateStore store) {
        tlsMeters.forEach(registry::remove); // a reload's new certificate list: the old series go
        tlsMeters = TlsMetrics.bind(registry, store);
    }

    /**
     * The access log's meters: {@code wakegate_access_log_lines_total} (written) and
     * {@code wakegate_access_log_dropped_total} (dropped because the writer could not keep up).
     */
    public void bindAccessLog(dev.wakegate.accesslog.AccessLog accessLog) {
        io.micrometer.core.instrument.FunctionCounter.builder("wakegate.access.log.lines", accessLog,
                        dev.wakegate.accesslog.AccessLog::written)
                .description("Access-log lines written")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("wakegate.access.log.dropped", accessLog,
                        dev.wakegate.accesslog.AccessLog::dropped)
                .description("Access-log lines dropped because the writer could not keep up (requests never wait for the log)")
                .register(registry);
    }

    /** The config reloads' meters (made on first use). */
    public synchronized ReloadMetrics reloads() {
        if (reloads == null) {
            reloads = new ReloadMetrics(registry);
        }
        return reloads;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. Takes a few ms: not on an event loop. */
    public String prometheusText() {
        bindRuntimeMetrics(); // a scrape before the wiring bound them still has them
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        registry.close();
    }
}
