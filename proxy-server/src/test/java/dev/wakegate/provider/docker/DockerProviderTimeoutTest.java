package dev.wakegate.provider.docker;

import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.testing.StartFailures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An engine that accepts connections and never answers (what a frozen dockerd looks like from
 * outside): every call fails within the call timeout as "unreachable", never hangs. The frozen
 * engine itself, a real dockerd stopped with SIGSTOP, is {@code FrozenEngineE2ETest}.
 */
class DockerProviderTimeoutTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(600);

    private final ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final DockerProvider runtime;

    DockerProviderTimeoutTest() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept()); // held open, never read, never answered
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-engine");
        t.setDaemon(true);
        t.start();
        runtime = DockerProvider.create("tcp://127.0.0.1:" + silent.getLocalPort(), CALL_TIMEOUT);
    }

    @AfterEach
    void tearDown() throws IOException {
        runtime.close();
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void everyCallFailsAsUnreachableWithinTheCallTimeout() {
        assertUnansweredWithinTheTimeout(() -> runtime.start("app"));
        assertUnansweredWithinTheTimeout(() -> runtime.inspect("app"));
        assertUnansweredWithinTheTimeout(runtime::list);
        assertUnansweredWithinTheTimeout(runtime::ping);
        assertThat(accepted).as("the engine was asked, and said nothing").isNotEmpty();
    }

    @Test
    void aStopIsGivenItsGracePeriodOnTop() {
        long t0 = System.nanoTime();
        StartFailure f = failure(runtime.stop("app", Duration.ofSeconds(1)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(f.kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
        assertThat(f.reason()).endsWith("no answer within 1600ms");
        assertThat(millis).isCloseTo(1_600, within(1_400L));
    }

    private void assertUnansweredWithinTheTimeout(Supplier<CompletableFuture<?>> call) {
        long t0 = System.nanoTime();
        StartFailure f = failure(call.get());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(f.kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
        assertThat(f.reason()).isEqualTo("docker engine unreachable at tcp://127.0.0.1:" + silent.getLocalPort()
                + ": no answer within 600ms");
        assertThat(millis).as("answered by the deadline, not by a hang").isBetween(500L, 3_000L);
    }

    private static StartFailure failure(CompletableFuture<?> f) {
        return StartFailures.failureOf(f, Duration.ofSeconds(30));
    }
}
