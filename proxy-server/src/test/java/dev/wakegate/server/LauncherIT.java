package dev.wakegate.server;

import com.sun.net.httpserver.HttpServer;
import dev.wakegate.testing.Loopback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * bin/wakegate, the way users run the proxy (failsafe runs this after package): it finds java and
 * the jar, serves with its JVM settings, writes the class-data archive when the proxy exits
 * (SIGTERM) and maps it on the next start; bad input is a clear error.
 */
class LauncherIT {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path LAUNCHER = ROOT.resolve("bin/wakegate");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;
    static HttpServer upstream;
    static Path jar;

    @BeforeAll
    static void upstreamAndAPrivateCopyOfTheJar() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        upstream.createContext("/", exchange -> {
            byte[] body = "from upstream".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        // its own directory, so that the archive the launcher writes beside it is this test's
        jar = Files.createDirectories(dir.resolve("lib")).resolve("wakegate.jar");
        Files.copy(ROOT.resolve("proxy-server/target/wakegate.jar"), jar);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop(0);
    }

    @Test
    void helpAndCheckAnswerAndABadConfigIsRefusedWithFileKeyAndReason() throws Exception {
        Result help = run(List.of("--help"));
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("usage: wakegate --config FILE");

        List<String> before = listing();
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "listen: 127.0.0.1:1\nroutes:\n  - { path: /, containers: [grafna] }\n");
        Result check = run(List.of("--config", bad.toString(), "--check"));
        assertThat(check.exit).isEqualTo(2);
        assertThat(check.err).contains("bad.yml").contains("routes[0]").contains("grafna");
        assertThat(listing()).as("--check writes no archive").isEqualTo(before);
    }

    private static List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingJarOrJavaIsAClearError() throws Exception {
        Result noJar = run(List.of("--help"), Map.of("WAKEGATE_JAR", dir.resolve("nothing.jar").toString()));
        assertThat(noJar.exit).isEqualTo(1);
        assertThat(noJar.err).contains("no wakegate.jar");
        Result noJava = run(List.of("--help"), Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()));
        assertThat(noJava.exit).isEqualTo(1);
        assertThat(noJava.err).contains("no java found");
    }

    @ParameterizedTest
    @CsvSource({
            "17.0.15, true, false",
            "17.0.8, false, false",
            "17, false, false", // a GA release file has no update number
            "21, true, false",
            "25.0.3, true, true"})
    void readsTheJvmVersionFromItsReleaseFile(String version, boolean trim, boolean compactHeaders) throws Exception {
        // a JDK whose java, reached through a symlink as /usr/bin/java is, writes down its arguments
        Path home = Files.createDirectories(dir.resolve("jdk-" + version));
        Path script = Files.createDirectories(home.resolve("bin")).resolve("java.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + home.resolve("args") + "\n");
        script.toFile().setExecutable(true);
        Path javaHome = dir.resolve("home-" + version);
        Files.createSymbolicLink(Files.createDirectories(javaHome.resolve("bin")).resolve("java"), script);
        // the version on the last line, without a newline after it (a real JDK's file, with one,
        // is the other tests')
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"");

        Result r = run(List.of("--help"), Map.of("JAVA_HOME", javaHome.toString(),
                "WAKEGATE_CDS", "off"));
        assertThat(r.exit).isZero();
        List<String> args = Files.readAllLines(home.resolve("args"));
        assertThat(args).contains("-XX:+UseSerialGC", "-jar", jar.toString(), "--help");
        assertThat(args.contains("-XX:TrimNativeHeapInterval=5000")).as("native-heap trim on %s", version).isEqualTo(trim);
        assertThat(args.contains("-XX:+UseCompactObjectHeaders")).as("compact headers on %s", version).isEqualTo(compactHeaders);
    }

    @Test
    void servesWithItsJvmSettingsAndMapsTheClassArchiveTheFirstRunWroteAtExit() throws Exception {
        Path config = config();

        Process first = start(config);
        ProcessHandle java = await().atMost(Duration.ofSeconds(10)).until(() -> javaOf(first), p -> p != null);
        String firstFlags = cmdline(java);
        assertThat(firstFlags).contains("-XX:+UseSerialGC", "-Xms8m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:PerMethodTrapLimit=0", "-XX:FreqInlineSize=100",
                "-XX:CompileCommand=CompileThresholdScaling,java.*::*,10.0");
        boolean java17 = Runtime.version().feature() < 19;
        assertThat(firstFlags).contains(java17 ? "-XX:ArchiveClassesAtExit=" : "-XX:+AutoCreateSharedArchive");
        stop(first);
        List<Path> archives = archives();
        assertThat(archives).as("the archive, moved into place whole").hasSize(1);
        assertThat(archives.get(0).getFileName().toString()).matches("wakegate-\\d+-\\d+-jdk[0-9.]+\\.jsa");

        Process second = start(config);
        if (java17) {
            assertThat(second.pid()).as("with an archive, the launcher execs java").isEqualTo(javaOf(second).pid());
        }
        ProcessHandle mapped = javaOf(second);
        assertThat(cmdline(mapped)).contains("-XX:SharedArchiveFile=" + archives.get(0));
        assertThat(Files.readString(Path.of("/proc/" + mapped.pid() + "/maps"))).contains(archives.get(0).toString());
        stop(second);
    }

    private Path config() throws IOException {
        int port = Loopback.freePort();
        Path config = dir.resolve("wakegate.yml");
        Files.writeString(config, "listen: 127.0.0.1:" + port + "\nworkers: 1\ndocker: { labels: false }\nroutes:\n"
                + "  - { path: /, upstream: 127.0.0.1:" + upstream.getAddress().getPort() + " }\n");
        return config;
    }

    private Process start(Path config) throws Exception {
        Process p = builder(List.of("--config", config.toString()), Map.of())
                .redirectOutput(dir.resolve("wakegate.log").toFile()).redirectErrorStream(true).start();
        String port = Files.readString(config).replaceAll("(?s).*listen: 127.0.0.1:(\\d+).*", "$1");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(p.isAlive()).as("wakegate exited: %s", Files.readString(dir.resolve("wakegate.log"))).isTrue();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("from upstream");
        });
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM, as docker stop and systemd send
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** The JVM: the launcher itself once it has exec'd java, else its child. */
    private static ProcessHandle javaOf(Process launcher) {
        ProcessHandle self = launcher.toHandle();
        if (cmdline(self).contains("-jar")) {
            return self;
        }
        return self.children().filter(c -> cmdline(c).contains("-jar")).findFirst().orElse(null);
    }

    private static String cmdline(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.filter(f -> f.getFileName().toString().contains(".jsa")).toList();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(List<String> args) throws Exception {
        return run(args, Map.of());
    }

    private Result run(List<String> args, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = builder(args, env).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private ProcessBuilder builder(List<String> args, Map<String, String> env) {
        ProcessBuilder b = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), args.stream()).toList());
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        b.environment().put("WAKEGATE_JAR", jar.toString());
        b.environment().putAll(env);
        return b;
    }
}
