package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import dev.wakegate.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs the shared store going away once, and coming back once, however many calls fail in
 * between: while it is down the lifecycle decides from memory (degraded mode).
 */
final class StoreHealth {
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    private final StateStore store;
    private final AtomicBoolean down = new AtomicBoolean();

    StoreHealth(StateStore store) {
        this.store = store;
    }

    void failed(String operation, Throwable cause) {
        if (down.compareAndSet(false, true)) {
            log.warn("state store {} unavailable ({} failed: {}); deciding from memory until it is back",
                    store.describe(), operation, Futures.unwrap(cause).toString());
        }
    }

    void succeeded() {
        if (down.compareAndSet(true, false)) {
            log.info("state store {} is back; resuming shared state", store.describe());
        }
    }

    boolean isDown() {
        return down.get();
    }
}
