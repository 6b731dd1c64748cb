package dev.wakegate.accesslog;

import dev.wakegate.config.AccessLogSettings;
import dev.wakegate.config.AccessLogSettings.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The writer thread and its bounded hand-off, against a real pipe whose reader stalls. */
class AccessLogWriterTest {
    @TempDir
    Path dir;

    private static AccessEntry entry(int i) {
        return AccessEntry.refused("127.0.0." + (i % 250 + 1), System.nanoTime())
                .complete(200, i, i, System.nanoTime(), null, null, -1, List.of());
    }

    @Test
    void aStalledReaderMakesLinesDropAndCountedNeverASubmitterWait() throws Exception {
        Path fifo = dir.resolve("access.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        // the reader opens the pipe (opening blocks until the writer opens it too) and reads nothing yet
        CompletableFuture<InputStream> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(fifo.toFile());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int total = 3 * AccessLog.QUEUE_CAPACITY;
        try (AccessLog log = new AccessLog(ZoneOffset.UTC)) {
            log.configure(Optional.of(new AccessLogSettings(Optional.of(fifo), Format.COMBINED)));
            InputStream in = reader.get(10, TimeUnit.SECONDS);

            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                log.submit(entry(i));
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // the pipe (64 KiB) and the queue are full: the rest was dropped, and submit never blocked
            assertThat(log.dropped()).isGreaterThan(0);
            assertThat(log.pending()).isLessThanOrEqualTo(AccessLog.QUEUE_CAPACITY);
            assertThat(tookMillis).as("submitting %d lines to a stalled log", total).isLessThan(5_000);

            AtomicLong lines = new AtomicLong();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        for (int k = 0; k < n; k++) {
                            if (buf[k] == '\n') {
                                lines.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            drain.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> log.written() + log.dropped() == total);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.get() == log.written());
            log.close();
            drain.join(5000);
            in.close();
        }
    }

    @Test
    void writesEveryLineOfABurstWhenTheDiskKeepsUp() throws Exception {
        Path file = dir.resolve("access.log");
        int total = 50_000;
        try (AccessLog log = new AccessLog(ZoneOffset.UTC)) {
            log.configure(Optional.of(new AccessLogSettings(Optional.of(file), Format.JSON)));
            for (int i = 0; i < total; i++) {
                log.submit(entry(i));
                if (log.pending() > AccessLog.QUEUE_CAPACITY / 2) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> log.pending() < AccessLog.QUEUE_CAPACITY / 4);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> log.written() == total);
            assertThat(log.dropped()).isZero();
        }
        assertThat(Files.readAllLines(file)).hasSize(total).allSatisfy(l -> assertThat(l).startsWith("{\"time\":\"").endsWith("]}"));
    }

    @Test
    void anEntryTheWriterIsDoneWithIsFilledAgainForTheNextRequest() throws Exception {
        Path file = dir.resolve("reuse.log");
        try (AccessLog log = new AccessLog(ZoneOffset.UTC)) {
            log.configure(Optional.of(new AccessLogSettings(Optional.of(file), Format.COMBINED)));
            AccessEntry first = log.refusedEntry("192.0.2.1", System.nanoTime());
            log.submit(first.complete(400, 0, 0, System.nanoTime(), null, null, -1, List.of()));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.written() == 1);
            AccessEntry second = log.refusedEntry("192.0.2.2", System.nanoTime());
            assertThat(second).as("the written entry, reused").isSameAs(first);
            log.submit(second.complete(408, 0, 0, System.nanoTime(), null, null, -1, List.of()));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.written() == 2);
        }
        assertThat(Files.readAllLines(file)).hasSize(2).satisfiesExactly(
                l -> assertThat(l).startsWith("192.0.2.1 - - [").contains("\"-\" 400 0"),
                l -> assertThat(l).startsWith("192.0.2.2 - - [").contains("\"-\" 408 0"));
    }
}
