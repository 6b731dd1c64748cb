package dev.wakegate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock tests move by hand. Thread-safe for reads (other threads may read it while the
 * test thread moves it). {@link #skewed} gives a host clock that is off from it by a fixed amount
 * and follows it, for instances whose clocks disagree.
 */
public final class TestClock extends Clock {
    private volatile long millis;

    public TestClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    public void setMillis(long millis) {
        this.millis = millis;
    }

    public void advance(Duration d) {
        millis += d.toMillis();
    }

    /** A clock that reads {@code skew} ahead of this one (negative: behind), whatever this one says. */
    public Clock skewed(Duration skew) {
        return new Skewed(this, skew.toMillis());
    }

    /** The shared time behind {@code clock}: itself, or the clock a {@link #skewed} one follows. */
    public static TestClock base(Clock clock) {
        return clock instanceof Skewed s ? s.base : (TestClock) clock;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    private static final class Skewed extends Clock {
        private final TestClock base;
        private final long skewMillis;

        Skewed(TestClock base, long skewMillis) {
            this.base = base;
            this.skewMillis = skewMillis;
        }

        @Override
        public long millis() {
            return base.millis() + skewMillis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
