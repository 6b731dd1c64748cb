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
    private final MicrometerProxyMetrics proxyMetrics;
    private final LifecycleMetrics lifecycle;
    private final JvmGcMetrics gcMetrics;

    private Metrics(List<? extends ByteBufAllocatorMetricProvider> allocators) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
        proxyMetrics = new MicrometerProxyMetrics(registry);
        lifecycle = new LifecycleMetrics(registry);
    }

    /**
     * Metrics with allocator metrics for Netty's default allocator ({@code ByteBufAllocator.DEFAULT},
     * adaptive in Netty 4.2) and {@code PooledByteBufAllocator.DEFAULT}.
     */
    public static Metrics create() {
        List<ByteBufAllocatorMetricProvider> allocators = new ArrayList<>();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            allocators.add(provider);
        }
        allocators.add(PooledByteBufAllocator.DEFAULT);
        return new Metrics(allocators);
    }

    /** Metrics with allocator metrics for exactly these allocators (those the bootstrap uses). */
    public static Metrics create(List<? extends ByteBufAllocatorMetricProvider> allocators) {
        return new Metrics(List.copyOf(allocators));
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
    public void bindTls(dev.wakegate.tls.CertificateStore store) {
        TlsMetrics.bind(registry, store);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. Takes a few ms: not on an event loop. */
    public String prometheusText() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
