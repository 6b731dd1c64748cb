package dev.wakegate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback addresses for tests. {@link #freePort} is a port nobody listens on right now, for tests that must name a port before something
 * binds it (a config file, a container's command line, a port to find closed). Where the code
 * under test can bind port 0 and say which it got, prefer that: there is no race then.
 *
 * <p>The ports come from below the kernel's ephemeral range (32768-60999 by default): a port the
 * kernel handed out for a moment (what binding port 0 gives) can be handed out again as the local
 * port of any outgoing connection before the test binds it, and the suite opens many. Ports are
 * given every second one in turn from a start that depends on the process, so two test JVMs
 * rarely meet, one never gives the same port twice in a row, and the port after one it gave
 * (a test may use it too) is not given.
 */
public final class Loopback {
    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000; // up to 31999, below the ephemeral range
    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 211 % COUNT));

    private Loopback() {
    }

    /** A port free on 127.0.0.1 when this returns (nothing listens, no connection lingers on it). */
    public static int freePort() {
        for (int tries = 0; tries < COUNT / 2; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndAdd(2), COUNT);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + FIRST + "-" + (FIRST + COUNT - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
