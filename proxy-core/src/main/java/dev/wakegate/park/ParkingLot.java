package dev.wakegate.park;

import dev.wakegate.relay.ProxyMetrics;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on requests and connections held while their containers start, shared by every event
 * loop of one front server. Entering beyond {@code capacity} fails (the caller answers 503).
 */
public final class ParkingLot {
    private final AtomicInteger occupied = new AtomicInteger();
    private volatile int capacity;
    private final ProxyMetrics metrics;

    public ParkingLot(int capacity, ProxyMetrics metrics) {
        this.capacity = capacity;
        this.metrics = metrics;
    }

    /** A new capacity (a reload): requests already parked keep their places. */
    public void capacity(int places) {
        this.capacity = places;
    }

    /** Takes a place, or returns false when the lot is full. */
    public boolean tryEnter() {
        while (true) {
            int n = occupied.get();
            if (n >= capacity) {
                return false;
            }
            if (occupied.compareAndSet(n, n + 1)) {
                metrics.parked(1);
                return true;
            }
        }
    }

    public void leave() {
        occupied.decrementAndGet();
        metrics.parked(-1);
    }

    /** Places taken now. */
    public int occupied() {
        return occupied.get();
    }

    public int capacity() {
        return capacity;
    }
}
