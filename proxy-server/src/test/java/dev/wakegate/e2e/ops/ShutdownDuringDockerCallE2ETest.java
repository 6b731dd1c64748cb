package dev.wakegate.e2e.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutting the proxy down while the engine is still stopping a container: the stop completes (the
 * container ends stopped), nothing is logged as an engine failure, and no stack trace is printed
 * (before: a RejectedExecutionException from the lifecycle scheduler and "docker engine
 * unreachable: ClosedByInterruptException").
 */
@Tag("docker")
class ShutdownDuringDockerCallE2ETest {
    private final DockerFixture docker = new DockerFixture();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void cleanUp() {
        root.detachAppender(logs);
        docker.close();
    }

    @Test
    void closingWhileAStopIsUnderWayLetsItFinishQuietly() throws Exception {
        int port = Loopback.freePort();
        // Takes two seconds to stop: SIGTERM is trapped, then it exits.
        String slowStop = docker.container("slow-stop").shell("trap 'sleep 2; exit 0' TERM; "
                + "mkdir -p /www && echo ok > /www/index.html && httpd -p 127.0.0.1:" + port + " -h /www; "
                + "while true; do sleep 0.2; done").create();
        WakegateHarness proxy = WakegateHarness.start(Ops.yaml(slowStop, port, "priority: normal", "auto_stop: false"));
        assertThat(proxy.get("/index.html").statusCode()).isEqualTo(200);

        logs.start();
        root.addAppender(logs);
        CompletableFuture<HttpResponse<String>> stop = proxy.client().sendAsync(HttpRequest.newBuilder(
                        proxy.uri("/health/containers/" + slowStop + "/stop")).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("stopping " + slowStop)));
        proxy.close(); // while the engine is still stopping it

        docker.awaitStopped(slowStop, Duration.ofSeconds(15));
        List<ILoggingEvent> noisy = logs.list.stream()
                .filter(e -> e.getThrowableProxy() != null
                        || e.getFormattedMessage().contains("unreachable")
                        || e.getFormattedMessage().contains("Rejected")
                        || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getFormattedMessage().contains(slowStop)))
                .toList();
        assertThat(noisy).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains(slowStop + " stopped: manual");
        stop.handle((r, ex) -> null).get(); // answered or cut by the drain: either way it is over
    }
}
