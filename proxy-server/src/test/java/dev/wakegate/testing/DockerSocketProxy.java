package dev.wakegate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP listener on 127.0.0.1 that forwards each connection to the Docker unix socket, so a test
 * can take "the engine" away and bring it back: point the code under test at {@link #dockerHost()}
 * ({@code tcp://127.0.0.1:PORT}), then {@link #stop()} (closes the listener and every open
 * connection, like a dying dockerd) and {@link #start()} again on the same port.
 *
 * <p>It can also hold engine calls: {@link #hold(String)} makes every request whose request line
 * contains a fragment ({@code "/pause "}) wait at the proxy, before the engine sees it, until
 * {@link Hold#release()}; so a test can act while a call of the code under test is under way.
 */
public final class DockerSocketProxy implements AutoCloseable {

    private final Path socket;
    private final int port;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;
    private volatile @org.jspecify.annotations.Nullable Hold hold;

    /** Requests held at the proxy until released; {@link #arrived()} counts those that came. */
    public static final class Hold {
        private final String fragment;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();

        private Hold(String fragment) {
            this.fragment = fragment;
        }

        public int arrived() {
            return arrived.get();
        }

        /** Lets the held requests (and every later one) through to the engine. */
        public void release() {
            released.countDown();
        }

        boolean matches(ByteBuffer chunk) {
            int n = Math.min(chunk.remaining(), 512);
            byte[] head = new byte[n];
            chunk.duplicate().get(head);
            String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            int eol = text.indexOf("\r\n");
            return released.getCount() > 0 && (eol < 0 ? text : text.substring(0, eol)).contains(fragment);
        }

        void await() {
            arrived.incrementAndGet();
            try {
                if (!released.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held request not released in 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Holds every request whose request line contains {@code fragment} until the hold is released. */
    public Hold hold(String fragment) {
        Hold h = new Hold(fragment);
        hold = h;
        return h;
    }

    public DockerSocketProxy() {
        this(Path.of("/var/run/docker.sock"), Loopback.freePort());
    }

    public DockerSocketProxy(Path socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    public String dockerHost() {
        return "tcp://127.0.0.1:" + port;
    }

    public synchronized DockerSocketProxy start() {
        if (server != null) {
            return this;
        }
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread acceptor = new Thread(() -> acceptLoop(s), "docker-socket-proxy-accept-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Closes the listener and cuts every forwarded connection. */
    public synchronized void stop() {
        ServerSocketChannel s = server;
        server = null;
        if (s != null) {
            closeQuietly(s);
        }
        open.forEach(DockerSocketProxy::closeQuietly);
        open.clear();
    }

    private void acceptLoop(ServerSocketChannel s) {
        while (s.isOpen()) {
            try {
                SocketChannel client = s.accept();
                SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                engine.connect(UnixDomainSocketAddress.of(socket));
                open.add(client);
                open.add(engine);
                pump(client, engine, true);
                pump(engine, client, false);
            } catch (IOException e) {
                // listener closed, or the engine refused: the client sees its connection drop
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean towardsEngine) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    Hold h = hold;
                    if (towardsEngine && h != null && h.matches(buf)) {
                        h.await();
                    }
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // the other side is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "docker-socket-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop();
    }
}
