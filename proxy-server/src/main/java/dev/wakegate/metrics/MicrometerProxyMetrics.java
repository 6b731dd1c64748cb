package dev.wakegate.metrics;

import dev.wakegate.relay.ProxyMetrics;
import dev.wakegate.route.NoWakeRule;
import dev.wakegate.relay.UpstreamFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The data path's {@link ProxyMetrics} on Micrometer: {@code wakegate_requests_total{route,status_class}},
 * {@code wakegate_upstream_errors_total{upstream,reason}}, the {@code wakegate_parked_requests} gauge and
 * {@code wakegate_not_woken_requests_total{reason,outcome}} (requests {@code no_wake} kept from waking:
 * {@code refused} while their containers slept, {@code served} by running ones without counting as activity).
 *
 * <p>Called on event loops for every request, so a warm request costs one map get, one volatile
 * array read and a counter increment: counters are cached per route and status class, and
 * registered only the first time a combination is seen. Route paths come from the config, so the
 * number of series stays bounded.
 */
public final class MicrometerProxyMetrics implements ProxyMetrics {
    static final String REQUESTS = "wakegate.requests";
    static final String UPSTREAM_ERRORS = "wakegate.upstream.errors";
    static final String PARKED = "wakegate.parked.requests";
    static final String NOT_WOKEN = "wakegate.not.woken.requests";
    /** The route label of requests that matched no route. */
    public static final String NO_ROUTE = "none";
    private static final String[] STATUS_CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, AtomicReferenceArray<Counter>> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<UpstreamFailure, Counter>> upstreamErrors = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();
    /** By reason, then refused (even index) or served (odd): registered up front, so every series shows from 0. */
    private final Counter[] notWoken = new Counter[NoWakeRule.Reason.values().length * 2];

    public MicrometerProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(PARKED, parked);
        for (NoWakeRule.Reason reason : NoWakeRule.Reason.values()) {
            for (boolean served : new boolean[] {false, true}) {
                notWoken[reason.ordinal() * 2 + (served ? 1 : 0)] = Counter.builder(NOT_WOKEN)
                        .description("Requests no_wake kept from waking their containers")
                        .tag("reason", reason.tag()).tag("outcome", served ? "served" : "refused")
                        .register(registry);
            }
        }
    }

    @Override
    public void notWoken(NoWakeRule.Reason reason, boolean served) {
        notWoken[reason.ordinal() * 2 + (served ? 1 : 0)].increment();
    }

    @Override
    public void requestCompleted(@Nullable String routePath, int status) {
        String route = routePath == null ? NO_ROUTE : routePath;
        AtomicReferenceArray<Counter> byClass = requests.get(route);
        if (byClass == null) {
            byClass = requests.computeIfAbsent(route, r -> new AtomicReferenceArray<>(STATUS_CLASSES.length));
        }
        int cls = status >= 100 && status < 600 ? status / 100 : 0;
        Counter counter = byClass.get(cls);
        if (counter == null) {
            // Registering is idempotent, so two loops racing here end up with the same counter.
            counter = Counter.builder(REQUESTS)
                    .description("Responses sent, by route and status class")
                    .tag("route", route)
                    .tag("status_class", STATUS_CLASSES[cls])
                    .register(registry);
            byClass.set(cls, counter);
        }
        counter.increment();
    }

    @Override
    public void upstreamError(String upstream, UpstreamFailure failure) {
        String up = upstream == null ? "unknown" : upstream;
        Map<UpstreamFailure, Counter> byReason = upstreamErrors.computeIfAbsent(up, u -> new ConcurrentHashMap<>());
        byReason.computeIfAbsent(failure, f -> Counter.builder(UPSTREAM_ERRORS)
                .description("Upstreams that could not be used, by reason")
                .tag("upstream", up)
                .tag("reason", f.metricTag())
                .register(registry)).increment();
    }

    @Override
    public void parked(int delta) {
        parked.addAndGet(delta);
    }

    /** Requests and connections parked now. */
    public int parkedNow() {
        return parked.get();
    }
}
