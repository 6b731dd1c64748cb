package dev.wakegate.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker engine of the test's own, beside the machine's: its own {@code --data-root},
 * {@code --exec-root}, {@code --pidfile}, unix socket and (empty) daemon config under a temp
 * directory, no bridge, no iptables, the vfs storage driver (no overlay mounts to leave behind).
 * It can be frozen ({@link #freeze()}: SIGSTOP, so it accepts connections and answers nothing)
 * and thawed. {@link #close()} thaws it, removes its containers, stops it (SIGTERM, then SIGKILL
 * for what is left of its process tree), unmounts what it mounted and deletes the directory:
 * nothing is left behind. Needs root and {@code dockerd} on the PATH, as the machine's engine does.
 */
public final class PrivateDockerd implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(30);

    private final Path dir;
    private final Process process;
    private final String host;
    private DockerClient client;

    private PrivateDockerd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.host = "unix://" + dir.resolve("docker.sock");
    }

    /** Starts a private dockerd and waits until it answers; loads {@link DockerFixture#IMAGE} into it from the machine's engine. */
    public static PrivateDockerd start() {
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "wakegate-dockerd-");
            Files.writeString(dir.resolve("daemon.json"), "{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p;
        try {
            p = new ProcessBuilder("dockerd",
                    "--config-file", dir.resolve("daemon.json").toString(),
                    "--data-root", dir.resolve("data").toString(),
                    "--exec-root", dir.resolve("exec").toString(),
                    "--pidfile", dir.resolve("docker.pid").toString(),
                    "--host", "unix://" + dir.resolve("docker.sock"),
                    "--bridge=none", "--iptables=false", "--ip-masq=false",
                    "--storage-driver", "vfs")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dockerd.log").toFile())
                    .start();
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("cannot run dockerd (is docker.io installed? scripts/setup-machine.sh)", e);
        }
        PrivateDockerd d = new PrivateDockerd(dir, p);
        try {
            d.client = DockerClientImpl.getInstance(DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(d.host).build(), new ZerodepDockerHttpClient.Builder()
                    .dockerHost(java.net.URI.create(d.host))
                    .connectionTimeout(Duration.ofSeconds(2))
                    .responseTimeout(Duration.ofSeconds(60))
                    .build());
            Awaitility.await("private dockerd answers at " + d.host).atMost(START).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("private dockerd exited: " + d.log());
                        }
                        d.client.pingCmd().exec();
                        return true;
                    });
            d.loadImage();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** {@code unix:///tmp/wakegate-dockerd-.../docker.sock}. */
    public String dockerHost() {
        return host;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGSTOP: the socket still accepts connections, the engine answers nothing. Returns once every
     * thread of the engine is stopped: the signal only starts that, and a request sent at once could
     * still be answered by a thread not yet stopped (seen once: an inspect answered after the freeze).
     */
    public void freeze() {
        signal("STOP");
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        Awaitility.await("dockerd " + process.pid() + " stopped").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5)).until(() -> allStopped(tasks));
    }

    /** Whether every thread under {@code /proc/PID/task} is in state T (stopped). */
    private static boolean allStopped(Path tasks) throws IOException {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.allMatch(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    return stat.charAt(stat.lastIndexOf(')') + 2) == 'T'; // the state follows "(comm) "
                } catch (IOException e) {
                    return true; // a thread that ended is not running either
                }
            });
        }
    }

    /** SIGCONT. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void loadImage() {
        try (DockerFixture machine = new DockerFixture();
             InputStream image = machine.client().saveImageCmd(DockerFixture.IMAGE).exec()) {
            client.loadImageCmd(image).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            thaw();
        }
        List<ProcessHandle> tree = process.descendants().toList(); // its containerd, shims
        if (client != null && process.isAlive()) {
            try {
                client.listContainersCmd().withShowAll(true).exec()
                        .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
            } catch (RuntimeException e) {
                // stopping the engine below takes its containers down too
            }
        }
        process.destroy(); // SIGTERM: dockerd stops its containers and its containerd
        try {
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : tree) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        unmountUnder(dir);
        deleteQuietly(dir);
    }

    /** Whatever dockerd mounted under {@code dir} (the exec root's netns file), deepest first. */
    private static void unmountUnder(Path dir) {
        List<String> mounts;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
            mounts = lines.map(l -> l.split(" ")[1]).filter(m -> m.startsWith(dir.toString() + "/"))
                    .sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return;
        }
        for (String m : mounts) {
            try {
                new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // left for the delete to report
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // nothing there
        }
    }

    /** What is left of this engine after {@link #close()}: processes, mounts or files naming its directory. */
    public List<String> leftovers() {
        List<String> left = new java.util.ArrayList<>();
        if (process.isAlive()) {
            left.add("dockerd pid " + process.pid());
        }
        ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .forEach(ph -> left.add("process " + ph.pid() + ": " + ph.info().commandLine().orElse("?")));
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
            lines.filter(l -> l.contains(dir.toString())).forEach(l -> left.add("mount " + l));
        } catch (IOException e) {
            left.add("cannot read /proc/self/mounts: " + e);
        }
        if (Files.exists(dir)) {
            left.add("directory " + dir);
        }
        return left;
    }
}
