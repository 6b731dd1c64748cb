package dev.wakegate.accesslog;

import dev.wakegate.config.AccessLogSettings;
import dev.wakegate.http1.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The access log: event loops {@link #submit} completed {@link AccessEntry}s into one bounded,
 * lock-free multi-producer queue; one writer thread formats them in batches and writes each batch
 * with one call. Nothing on an event loop formats, writes or waits: when the queue is full (the
 * disk or the reader of stdout cannot keep up) the entry is dropped and counted
 * ({@link #dropped()}, {@code wakegate_access_log_dropped_total}), so memory stays bounded and
 * requests never stall on the log.
 *
 * <p>Long-lived, one per server: {@link #configure} switches it on, off, or to another file or
 * format (a reload); {@link #reopen} makes the writer close and reopen the file (SIGUSR1, after
 * logrotate moved it). Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    /** Lines that may wait for the writer; beyond this they are dropped (about 200 bytes each). */
    public static final int QUEUE_CAPACITY = 16_384;
    /** Entries kept for reuse at most. */
    private static final int FREE_CAPACITY = 4096;
    /** Lines formatted per write at most. */
    private static final int BATCH = 256;
    /** A write to a pipe of at most this many bytes is atomic: stdout lines never interleave with the log's. */
    private static final int PIPE_ATOMIC = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** While lines come: the writer looks every 5 ms on its own (a line waits at most that long). */
    private static final long BUSY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** About a second without lines before the writer sleeps and a submitter has to wake it. */
    private static final int IDLE_ROUNDS_BEFORE_SLEEP = 200;
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    private final Queue<AccessEntry> queue = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    /** Entries the writer is done with, for the event loops to fill again (full: the rest is garbage). */
    private final Queue<AccessEntry> free = PlatformDependent.newFixedMpmcQueue(FREE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final ZoneId zone;
    private volatile @Nullable Target target;          // null: off
    private volatile boolean writerParked;
    private volatile boolean reopenRequested;
    private volatile boolean closed;
    private @Nullable Thread writer;

    public AccessLog() {
        this(ZoneId.systemDefault());
    }

    /** @param zone the zone of combined's {@code $time_local} (JSON lines are in UTC) */
    public AccessLog(ZoneId zone) {
        this.zone = zone;
    }

    /** An access log that is on with {@code settings}; see {@link #configure}. */
    public static AccessLog open(AccessLogSettings settings) throws IOException {
        AccessLog a = new AccessLog();
        a.configure(Optional.of(settings));
        return a;
    }

    /** Whether lines are being written: the data path makes no entry otherwise. */
    public boolean enabled() {
        return target != null;
    }

    /**
     * Switches to {@code settings} (empty: off). The new file is opened here, so a file that cannot
     * be opened is refused with the reason and the log goes on as it was.
     *
     * @throws IOException the file cannot be opened for appending
     */
    public synchronized void configure(Optional<AccessLogSettings> settings) throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Target current = target;
        if (settings.isPresent() && current != null && current.settings.equals(settings.get())) {
            return;
        }
        Target next = settings.isEmpty() ? null : new Target(settings.get(), openStream(settings.get()),
                new LineFormat(settings.get().format(),
                        settings.get().format() == AccessLogSettings.Format.JSON ? ZoneOffset.UTC : zone));
        target = next;
        if (next != null && writer == null) {
            writer = new Thread(this::writeLoop, "wakegate-access-log");
            writer.setDaemon(true);
            writer.start();
        }
        LockSupport.unpark(writer); // the writer closes the file it used once it has moved on
    }

    /** The settings in use, or empty when off. */
    public Optional<AccessLogSettings> settings() {
        Target t = target;
        return t == null ? Optional.empty() : Optional.of(t.settings);
    }

    /**
     * An entry for the request whose parsed head starts at {@code base} in {@code in}, reused from
     * the free list when one is there; it must be {@link #submit}ted (or dropped) once completed.
     */
    public AccessEntry entry(ByteBuf in, int base, RequestHead head, String remoteAddr, long startNanos) {
        AccessEntry e = free.poll();
        return (e == null ? new AccessEntry() : e).fill(in, base, head, remoteAddr, startNanos);
    }

    /** An entry for a head refused before it was parsed; see {@link #entry}. */
    public AccessEntry refusedEntry(String remoteAddr, long startNanos) {
        AccessEntry e = free.poll();
        return (e == null ? new AccessEntry() : e).fillRefused(remoteAddr, startNanos);
    }

    /**
     * Hands a completed entry to the writer; from any thread, never blocks. Dropped and counted
     * when the queue is full or the log is off.
     */
    public void submit(AccessEntry entry) {
        if (target == null) {
            recycle(entry);
            return;
        }
        if (!queue.offer(entry)) {
            dropped.increment();
            recycle(entry);
            return;
        }
        if (writerParked) {
            LockSupport.unpark(writer);
        }
    }

    /** Closes and reopens the file (after logrotate moved it); nothing for stdout. Returns at once. */
    public void reopen() {
        reopenRequested = true;
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Lines dropped because the writer could not keep up. */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines written so far. */
    public long written() {
        return written.sum();
    }

    /** Lines waiting for the writer. */
    public int pending() {
        return queue.size();
    }

    /** Writes what is queued (for at most a second), stops the writer and closes the file. */
    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            w = writer;
        }
        if (w != null) {
            LockSupport.unpark(w);
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Target t = target;
        if (t != null) {
            t.close();
        }
    }

    // ---------------------------------------------------------------- the writer thread

    private void writeLoop() {
        LineBuffer buffer = new LineBuffer(64 * 1024);
        Target using = null;
        int idleRounds = 0;
        while (true) {
            Target t = target;
            if (using != null && using != t) {
                using.close(); // a reload switched files: the old one is done with
            }
            using = t;
            if (reopenRequested) {
                idleRounds = 0;
                reopenRequested = false;
                if (t != null) {
                    t.reopen();
                }
            }
            int n = t == null ? drop() : writeBatch(t, buffer);
            if (n > 0) {
                idleRounds = 0;
                continue;
            }
            if (closed) {
                return;
            }
            if (++idleRounds < IDLE_ROUNDS_BEFORE_SLEEP) {
                // busy: look again shortly, and the event loops never pay for a wake-up
                LockSupport.parkNanos(this, BUSY_PARK_NANOS);
                continue;
            }
            // idle for a while: sleep until a line comes (its submitter wakes this thread)
            writerParked = true;
            if (queue.isEmpty() && !reopenRequested && !closed && target == t) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            writerParked = false;
        }
    }

    /** Off: what is still queued is let go. */
    private int drop() {
        int n = 0;
        AccessEntry e;
        while ((e = queue.poll()) != null) {
            recycle(e);
            n++;
        }
        return n;
    }

    private void recycle(AccessEntry e) {
        e.clear();
        free.offer(e);
    }

    private int writeBatch(Target t, LineBuffer buffer) {
        buffer.clear();
        int n = 0;
        int limit = t.stdout ? PIPE_ATOMIC : Integer.MAX_VALUE;
        AccessEntry e;
        while (n < BATCH && buffer.size() < limit - 512 && (e = queue.poll()) != null) {
            t.format.append(e, buffer);
            recycle(e);
            n++;
        }
        if (n > 0) {
            t.write(buffer);
            written.add(n);
        }
        return n;
    }

    private static OutputStream openStream(AccessLogSettings s) throws IOException {
        if (s.file().isEmpty()) {
            return new FileOutputStream(FileDescriptor.out);
        }
        return Files.newOutputStream(s.file().get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** Where lines go and how they look; its stream is the writer thread's after construction. */
    private static final class Target {
        final AccessLogSettings settings;
        final LineFormat format;
        final boolean stdout;
        private OutputStream out;
        private boolean failing;

        Target(AccessLogSettings settings, OutputStream out, LineFormat format) {
            this.settings = settings;
            this.out = out;
            this.format = format;
            this.stdout = settings.file().isEmpty();
        }

        void write(LineBuffer buffer) {
            try {
                buffer.writeTo(out);
                if (failing) {
                    failing = false;
                    log.info("access log {}: writing again", settings.target());
                }
            } catch (IOException e) {
                if (!failing) {
                    failing = true; // once, not once a batch
                    log.error("access log {}: cannot write, lines are lost until it can: {}", settings.target(),
                            e.toString());
                }
            }
        }

        void reopen() {
            if (stdout) {
                return;
            }
            try {
                OutputStream fresh = openStream(settings);
                OutputStream old = out;
                out = fresh;
                old.close();
                log.info("access log {} reopened", settings.target());
            } catch (IOException e) {
                log.error("access log {}: cannot reopen, writing on to the old file: {}", settings.target(), e.toString());
            }
        }

        void close() {
            if (stdout) {
                return; // the process' stdout stays open
            }
            try {
                out.close();
            } catch (IOException e) {
                log.warn("access log {}: close: {}", settings.target(), e.toString());
            }
        }
    }
}
