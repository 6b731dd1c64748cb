package dev.wakegate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Config reloads as meters: {@code wakegate_config_reloads_total{result}} (applied, refused: the
 * file was invalid, failed: valid but could not be put in effect) and
 * {@code wakegate_config_last_reload_success_timestamp_seconds} (Unix time of the last applied
 * reload, or of the start).
 */
public final class ReloadMetrics {
    private final Counter applied;
    private final Counter refused;
    private final Counter failed;
    private final AtomicLong lastSuccess = new AtomicLong(System.currentTimeMillis() / 1000);

    ReloadMetrics(MeterRegistry registry) {
        applied = counter(registry, "applied");
        refused = counter(registry, "refused");
        failed = counter(registry, "failed");
        Gauge.builder("wakegate.config.last.reload.success.timestamp", lastSuccess, AtomicLong::get)
                .description("When the configuration in effect was loaded: the last applied reload, or the start (Unix time)")
                .baseUnit("seconds")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("wakegate.config.reloads")
                .description("Config reloads (SIGHUP, POST /health/config/reload) by result")
                .tag("result", result)
                .register(registry);
    }

    public void applied() {
        applied.increment();
        lastSuccess.set(System.currentTimeMillis() / 1000);
    }

    public void refused() {
        refused.increment();
    }

    public void failed() {
        failed.increment();
    }
}
