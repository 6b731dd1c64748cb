package dev.wakegate.e2e.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained keep-alive GET traffic from a few client threads to one URI until {@link #close}, for
 * chaos tests: counts every request and keeps each failure (status other than 200, or an I/O
 * error) with the wall-clock interval it covered, so a test can tell which failures a fault it
 * caused explains.
 */
final class LoadLoop implements AutoCloseable {

    /** One failed request: when it was sent and when it ended (epoch millis), and what went wrong. */
    record Failure(long startMillis, long endMillis, String what) {
        boolean overlaps(long fromMillis, long toMillis) {
            return startMillis <= toMillis && endMillis >= fromMillis;
        }
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean running = true;

    LoadLoop(URI uri, int clients) {
        for (int i = 0; i < clients; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
            Thread t = new Thread(() -> {
                while (running) {
                    long start = System.currentTimeMillis();
                    String what = null;
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            what = r.statusCode() + " " + r.body().strip();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        what = e.toString();
                    }
                    requests.incrementAndGet();
                    if (what != null) {
                        failures.add(new Failure(start, System.currentTimeMillis(), what));
                    }
                }
            }, "load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    long requests() {
        return requests.get();
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Stops sending; waits for the requests under way to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(35));
        }
    }
}
