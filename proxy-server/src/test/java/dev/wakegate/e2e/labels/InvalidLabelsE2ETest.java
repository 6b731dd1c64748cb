package dev.wakegate.e2e.labels;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static dev.wakegate.e2e.labels.LabelE2E.contentType;
import static dev.wakegate.e2e.labels.LabelE2E.httpServerScript;
import static dev.wakegate.e2e.labels.LabelE2E.labels;
import static dev.wakegate.e2e.labels.LabelE2E.managed;
import static dev.wakegate.e2e.labels.LabelE2E.uniqueRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Labels that do not make sense are refused for that container alone, with the reason logged. */
@Tag("docker")
class InvalidLabelsE2ETest {
    private DockerFixture docker;
    private WakegateHarness proxy;
    private ListAppender<ILoggingEvent> logged;
    private Logger discoveryLog;

    @BeforeEach
    void setUp() {
        docker = new DockerFixture();
        discoveryLog = (Logger) LoggerFactory.getLogger("dev.wakegate.server.LabelDiscovery");
        logged = new ListAppender<>();
        logged.start();
        discoveryLog.addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        discoveryLog.detachAppender(logged);
        if (proxy != null) {
            proxy.close();
        }
        docker.close();
    }

    @Test
    void containerWithAnUnknownPriorityIsNotManagedWhileOthersAreAndTheProxyKeepsServing() {
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                """);
        int badPort = Loopback.freePort();
        int goodPort = Loopback.freePort();
        String badRoute = uniqueRoute("bad");
        String goodRoute = uniqueRoute("good");
        String bad = docker.container("lbl-bad").shell(httpServerScript(badPort, badRoute, "bad"))
                .labels(labels("route", badRoute, "upstream", "127.0.0.1:" + badPort, "priority", "urgent"))
                .create();
        String good = docker.container("lbl-good").shell(httpServerScript(goodPort, goodRoute, "good"))
                .labels(labels("route", goodRoute, "upstream", "127.0.0.1:" + goodPort, "health", "/"))
                .create();

        await("the valid one is managed").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, good) != null);
        await("the refusal is logged with its reason").atMost(Duration.ofSeconds(5))
                .until(() -> warnings().stream().anyMatch(m -> m.contains(bad) && m.contains("wakegate.priority")
                        && m.contains("urgent")));

        assertThat(managed(proxy, bad)).as("refused container not managed").isNull();
        HttpResponse<String> refused = proxy.get(badRoute + "/");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(contentType(refused)).startsWith("application/problem+json");
        assertThat(docker.status(bad)).as("never started").isEqualTo("created");
        assertThat(proxy.post("/health/containers/" + bad + "/start").statusCode()).isEqualTo(404);

        HttpResponse<String> ok = proxy.get(goodRoute + "/");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("good");
    }

    private List<String> warnings() {
        synchronized (logged) {
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
