package dev.wakegate.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end through compose: the labelled busybox stack of docker/e2e/docker-compose.e2e.yml is
 * created (not started) by docker-compose, wakegate runs from the shaded jar with
 * docker/e2e/wakegate.e2e.yml, and real requests wake containers, follow a dependency chain and
 * let an idle container stop. Host networking and loopback ports only; containers carry
 * {@code wakegate.test=true} and are removed with {@code docker-compose down}.
 */
@Tag("docker")
class ComposeE2EIT {
    static final String PROJECT = "wakegate-e2e";
    static final String BASE = "http://127.0.0.1:18300";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Process proxy;
    static Path proxyLog;

    @BeforeAll
    static void createStackAndStartWakegate() throws Exception {
        compose("down", "--remove-orphans");
        ComposeFiles.Result up = compose("up", "--no-start");
        assertThat(up.exitCode()).as("compose up --no-start: %s", up.stderr()).isZero();
        assertThat(state("e2e-db")).isEqualTo("created");

        Path jar = ComposeFiles.repoRoot().resolve("proxy-server/target/wakegate.jar");
        assertThat(jar).as("the shaded jar (failsafe runs this after package)").isRegularFile();
        proxyLog = Files.createTempFile("wakegate-e2e", ".log");
        proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--config", ComposeFiles.docker("e2e/wakegate.e2e.yml").toString())
                .redirectErrorStream(true).redirectOutput(proxyLog.toFile()).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(proxy.isAlive()).as("wakegate exited: %s", Files.readString(proxyLog)).isTrue();
            assertThat(get("/health/automation").statusCode()).isEqualTo(200);
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (proxy != null) {
            proxy.destroy();
            proxy.waitFor();
        }
        compose("down", "--remove-orphans");
        if (proxyLog != null) {
            Files.deleteIfExists(proxyLog);
        }
    }

    @Test
    void firstRequestWakesTheDependencyFirstThenTheServiceAndIsAnswered() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/index.html"))
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo("api");
        assertThat(state("e2e-db")).isEqualTo("running");
        assertThat(state("e2e-api")).isEqualTo("running");
        var containers = ComposeFiles.YAML.readTree(get("/health/containers").body()).path("containers");
        assertThat(containers.path("e2e-api").path("priority").asText()).isEqualTo("normal");
        // depends_on: the db became healthy before the api was even started
        assertThat(startedAt("e2e-db")).isBefore(startedAt("e2e-api"));
    }

    @Test
    void idleContainerIsStoppedAfterItsTimeoutAndWokenAgainByTheNextRequest() throws Exception {
        assertThat(get("/web/index.html").statusCode()).isEqualTo(200);
        assertThat(state("e2e-web")).isEqualTo("running");
        // wakegate.idle_timeout=3s, idle checks every second
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(state("e2e-web")).isEqualTo("exited"));
        HttpResponse<String> again = get("/web/index.html");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body().trim()).isEqualTo("web");
    }

    @Test
    void healthContainersListsLabelledContainersWithTheirPriorities() {
        // the proxy accepts once discovery's first listing is in; the await covers a compose
        // stack still being created when the proxy started
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> r = get("/health/containers");
            assertThat(r.statusCode()).isEqualTo(200);
            var containers = ComposeFiles.YAML.readTree(r.body()).path("containers");
            assertThat(containers.path("e2e-db").path("priority").asText()).isEqualTo("low");
            assertThat(containers.path("e2e-db").path("managed_by").asText()).isEqualTo("labels");
            assertThat(containers.path("e2e-web").path("priority").asText()).isEqualTo("low");
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(40)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ComposeFiles.Result compose(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f",
                ComposeFiles.docker("e2e/docker-compose.e2e.yml").toString()));
        cmd.addAll(List.of(args));
        return ComposeFiles.run(Map.of(), cmd);
    }

    static String container(String service) {
        return PROJECT + "_" + service + "_1"; // docker-compose 1.x naming
    }

    static String state(String service) throws Exception {
        return inspect(service, "{{.State.Status}}");
    }

    static Instant startedAt(String service) throws Exception {
        return Instant.parse(inspect(service, "{{.State.StartedAt}}"));
    }

    static String inspect(String service, String format) throws Exception {
        ComposeFiles.Result r = ComposeFiles.run(Map.of(), List.of("docker", "inspect", "-f", format, container(service)));
        assertThat(r.exitCode()).as("docker inspect %s: %s", service, r.stderr()).isZero();
        return r.stdout().trim();
    }
}
