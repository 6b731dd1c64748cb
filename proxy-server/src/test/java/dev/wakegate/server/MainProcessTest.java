package dev.wakegate.server;

import dev.wakegate.testing.Loopback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process as an operator runs it ({@code java ... Main --config FILE}, a child JVM): a clean
 * SIGTERM drain exits 0, as nginx and HAProxy do, not the JVM's 143; a port in use is the first
 * thing reported (before Docker or Redis are asked anything) and exits 1.
 */
class MainProcessTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    private Process child;
    private final List<Socket> engineConnections = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Socket s : engineConnections) {
            s.close();
        }
    }

    private Process run(String yaml, String... launcher) throws IOException {
        Path config = dir.resolve("wakegate.yml");
        Files.writeString(config, yaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // SIGHUP back to its default for the child even if this JVM runs under nohup (coreutils env)
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=HUP"));
        command.addAll(List.of(launcher));
        command.addAll(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString()));
        child = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        return child;
    }

    /** The config's first lines: a listener on {@code port} and no engine to ask. */
    private static String noEngine(int port) {
        return """
                listen: 127.0.0.1:%d
                docker: { host: "unix:///tmp/wakegate-no-engine-here.sock", labels: false }
                """.formatted(port);
    }

    /** Starts the proxy on {@code port} with no engine and one route, /old, and waits until it routes it. */
    private Process startWithOldRoute(int port, String... launcher) throws IOException {
        Process p = run(noEngine(port) + "routes:\n  - { path: /old, upstream: 127.0.0.1:1 }\n", launcher);
        await("proxy up").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(port, "/old/x") == 502);
        return p;
    }

    private List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("out.log"));
    }

    /** A listener that accepts connections and counts them, never answering: a stand-in engine. */
    private ServerSocket countingEngine(AtomicInteger accepted) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    engineConnections.add(s.accept());
                    accepted.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "counting-engine");
        t.setDaemon(true);
        t.start();
        return s;
    }

    @Test
    void cleanSigtermDrainExitsWithStatusZero() throws Exception {
        int port = Loopback.freePort();
        run("""
                listen: 127.0.0.1:%d
                docker: { host: "unix:///tmp/wakegate-no-engine-here.sock", labels: false }
                routes:
                  - { path: /x, upstream: 127.0.0.1:1 }
                """.formatted(port));
        await("proxy up").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/automation")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited after the drain").isTrue();
        assertThat(child.exitValue()).as("log:%n%s", String.join("\n", log())).isZero();
        assertThat(log()).anyMatch(l -> l.contains("wakegate stopped"));
    }

    @Test
    void portInUseIsReportedFirstAndExitsWithStatusOne() throws Exception {
        AtomicInteger engineAsked = new AtomicInteger();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket engine = countingEngine(engineAsked)) {
            run("""
                    listen: 127.0.0.1:%d
                    docker: { host: "tcp://127.0.0.1:%d" }
                    routes:
                      - { path: /x, upstream: 127.0.0.1:1 }
                    """.formatted(taken.getLocalPort(), engine.getLocalPort()));
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> log = log();
            assertThat(child.exitValue()).as("log:%n%s", String.join("\n", log)).isEqualTo(1);

            int refusal = -1;
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).contains("wakegate could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort())) {
                    refusal = i;
                    break;
                }
            }
            assertThat(refusal).as("the refusal is logged:%n%s", String.join("\n", log)).isNotNegative();
            assertThat(log.get(refusal)).endsWith("Address already in use");
            assertThat(log.subList(0, refusal)).as("nothing started before the bind")
                    .noneMatch(l -> l.contains("lifecycle started") || l.contains("docker") || l.contains("redis")
                            || l.contains("listening"));
            assertThat(engineAsked.get()).as("the engine was never asked anything").isZero();
        }
    }

    private void get(int port, String path) throws Exception {
        CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void sigusr1ReopensTheAccessLogAfterLogrotateMovedIt() throws Exception {
        int port = Loopback.freePort();
        Path access = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        run("""
                listen: 127.0.0.1:%d
                docker: { host: "unix:///tmp/wakegate-no-engine-here.sock", labels: false }
                access_log: { path: access.log }
                routes:
                  - { path: /x, upstream: 127.0.0.1:1 }
                """.formatted(port));
        await("proxy up").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/automation")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        get(port, "/before-rotation");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(access).contains("GET /before-rotation "));

        Files.move(access, rotated);
        signal("USR1");
        await("reopened").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(access));
        get(port, "/after-rotation");

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(access).contains("GET /after-rotation "));
        assertThat(Files.readString(rotated)).doesNotContain("/after-rotation");
        assertThat(child.isAlive()).as("SIGUSR1 does not stop the process").isTrue();
        assertThat(log()).anyMatch(l -> l.contains("access log") && l.contains("reopened"));
    }

    @Test
    void sighupReloadsTheFileAndARefusedOneChangesNothing() throws Exception {
        int port = Loopback.freePort();
        String head = noEngine(port);
        Process p = startWithOldRoute(port);
        assertThat(status(port, "/new/x")).isEqualTo(404);

        Files.writeString(dir.resolve("wakegate.yml"), head + "routes:\n  - { path: /new, upstream: 127.0.0.1:1 }\n");
        signal("HUP");
        await("reloaded").atMost(Duration.ofSeconds(10)).until(() -> status(port, "/new/x") == 502);
        assertThat(status(port, "/old/x")).isEqualTo(404);

        Files.writeString(dir.resolve("wakegate.yml"), head + "routes:\n  - { path: new, upstream: 127.0.0.1:1 }\n");
        signal("HUP");
        await("refused").atMost(Duration.ofSeconds(10)).until(() -> log().stream()
                .anyMatch(l -> l.contains("config reload refused") && l.contains("routes[0].path")));
        assertThat(status(port, "/new/x")).as("the running config stays").isEqualTo(502);
        assertThat(p.isAlive()).as("SIGHUP does not stop the process").isTrue();
    }

    @Test
    void aSighupIgnoredSinceTheStartIsSaidInTheLogAndTheReloadEndpointStillWorks() throws Exception {
        int port = Loopback.freePort();
        String head = noEngine(port);
        // nohup starts the JVM with SIGHUP ignored, which the JVM then never hands to a handler
        Process p = startWithOldRoute(port, "nohup");
        assertThat(log()).anyMatch(l -> l.contains("SIGHUP is ignored in this process (started under nohup?)")
                && l.contains("use POST /health/config/reload to reload"));
        assertThat(log()).noneMatch(l -> l.contains("SIGUSR1 is ignored"));

        Files.writeString(dir.resolve("wakegate.yml"), head + "routes:\n  - { path: /new, upstream: 127.0.0.1:1 }\n");
        int reload = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/config/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(reload).isEqualTo(200);
        assertThat(status(port, "/new/x")).isEqualTo(502);
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void aSighupDuringTheStartIsCarriedOutOnceTheProxyIsUpAndDoesNotEndIt() throws Exception {
        int port = Loopback.freePort();
        AtomicInteger engineAsked = new AtomicInteger();
        try (ServerSocket engine = countingEngine(engineAsked)) {
            // an engine that never answers holds the start for timeouts.docker_call
            String head = """
                    listen: 127.0.0.1:%d
                    docker: { host: "tcp://127.0.0.1:%d", labels: false }
                    timeouts: { docker_call: 4s }
                    """.formatted(port, engine.getLocalPort());
            Process p = run(head + "routes:\n  - { path: /old, upstream: 127.0.0.1:1 }\n");
            await("config loaded").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> log().stream().anyMatch(l -> l.contains("config loaded from")));
            assertThat(log()).as("still starting").noneMatch(l -> l.contains("wakegate listening"));

            Files.writeString(dir.resolve("wakegate.yml"), head + "routes:\n  - { path: /new, upstream: 127.0.0.1:1 }\n");
            signal("HUP");
            await("reloaded once up").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> status(port, "/new/x") == 502);
            assertThat(status(port, "/old/x")).isEqualTo(404);
            assertThat(p.isAlive()).as("a SIGHUP during the start does not end the process").isTrue();
        }
    }

    private int status(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
