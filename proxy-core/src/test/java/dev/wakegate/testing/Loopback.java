package dev.wakegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback addresses for tests. {@link #freePort} is a port nobody listens on right now, for tests that must name a port before something
 * binds it (a config file, a container's command line, a port to find closed). Where the code
 * under test can bind port 0 and say which it got, prefer that: there is no race then.
 */
public final class Loopback {
    private Loopback() {
    }

    /** A port free on 127.0.0.1 when this returns. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
