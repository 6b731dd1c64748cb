package dev.wakegate.testing;

import dev.wakegate.relay.ProxyMetrics;
import dev.wakegate.relay.UpstreamFailure;
import dev.wakegate.route.NoWakeRule;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ProxyMetrics} that records what the data path reported, for assertions. */
public final class CountingMetrics implements ProxyMetrics {
    public final List<String> completed = new CopyOnWriteArrayList<>();
    public final List<String> upstreamErrors = new CopyOnWriteArrayList<>();
    public final AtomicInteger parked = new AtomicInteger();
    public final List<String> notWoken = new CopyOnWriteArrayList<>();

    @Override
    public void notWoken(NoWakeRule.Reason reason, boolean served) {
        notWoken.add(reason.tag() + " " + (served ? "served" : "refused"));
    }

    @Override
    public void requestCompleted(String routePath, int status) {
        completed.add(routePath + " " + status);
    }

    @Override
    public void upstreamError(String upstream, UpstreamFailure failure) {
        upstreamErrors.add(upstream + " " + failure.metricTag());
    }

    @Override
    public void parked(int delta) {
        parked.addAndGet(delta);
    }
}
