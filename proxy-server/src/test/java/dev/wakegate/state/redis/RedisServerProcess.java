package dev.wakegate.state.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway redis-server of a test's own, on a loopback port, that the test can kill and restart.
 * By default it keeps nothing across a restart (as the machine's Redis: no RDB, no AOF); with
 * {@link #persistingIn} it writes an append-only file synced on every write, so a SIGKILL and a
 * restart bring the data back, and {@link #wipe} makes the next start an empty one.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private Path dataDir;
    private Process process;

    public RedisServerProcess(int port) {
        this.port = port;
    }

    /** Keeps the data in an append-only file under {@code dir} (fsync always), so it survives a kill. */
    public RedisServerProcess persistingIn(Path dir) {
        this.dataDir = dir;
        return this;
    }

    /** Deletes the persisted data (call while stopped): the next start is an empty Redis. */
    public void wipe() throws IOException {
        if (dataDir != null && Files.isDirectory(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dataDir)) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public RedisServerProcess start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--daemonize", "no"));
        if (dataDir == null) {
            cmd.addAll(List.of("--appendonly", "no"));
        } else {
            Files.createDirectories(dataDir);
            cmd.addAll(List.of("--dir", dataDir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
        }
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).until(this::accepts);
        return this;
    }

    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
