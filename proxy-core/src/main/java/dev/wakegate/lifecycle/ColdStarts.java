package dev.wakegate.lifecycle;

import java.util.Arrays;

/**
 * The last few cold starts of one container through this instance (from the start being requested
 * to the container being ready), and the start time to expect from them: their median, so one
 * start slowed by a cold disk or a pulled layer does not set the expectation for the next ones.
 * Each instance learns on its own (docs/redis.md: nothing of this is shared).
 *
 * <p>{@link #record} runs on the lifecycle lane only; {@link #expectedMillis} may be read from any
 * thread (one volatile read).
 */
final class ColdStarts {
    /** How many recent starts are kept. */
    static final int KEPT = 5;

    private final long[] recent = new long[KEPT]; // lane only
    private int count;                             // lane only
    private int next;                              // lane only
    private volatile long expected;                // 0: no start seen yet

    /** A cold start that took {@code millis}. Lane only. */
    void record(long millis) {
        recent[next] = Math.max(0, millis);
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        // the median; of an even count, the mean of the middle two
        expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }

    /** The median of the kept starts in milliseconds, or 0 when none has been seen. */
    long expectedMillis() {
        return expected;
    }
}
