package dev.wakegate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A raw TCP upstream on 127.0.0.1 that follows a script per connection, for the misbehaviours a
 * real HTTP server library will not produce: a response head and half its body followed by
 * silence, a connection closed after part of a head, an answer sent before the request body has
 * arrived. Each accepted connection runs {@code scripts.apply(index)} (0 for the first one) on
 * its own thread; it records every request head it reads and notices when the proxy closes a
 * connection. Test threads only.
 */
public final class ScriptedUpstream implements AutoCloseable {

    /** What one connection does; returning (or throwing) closes it. */
    @FunctionalInterface
    public interface Script {
        void run(Conn conn) throws Exception;
    }

    /** One accepted connection, as the script sees it. */
    public final class Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads up to and including the blank line ending a request head; null when the peer closed first. */
        public String readHead() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int last4 = 0;
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                last4 = (last4 << 8) | c;
                if (last4 == 0x0D0A0D0A) {
                    String head = b.toString(StandardCharsets.ISO_8859_1);
                    heads.add(head);
                    return head;
                }
            }
            return null;
        }

        /** Reads exactly {@code n} bytes (a request body). */
        public byte[] readBytes(int n) throws IOException {
            return in.readNBytes(n);
        }

        public Conn write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /**
         * Writes {@code chunk} again and again (a response body that never ends) until the proxy
         * closes the connection, and counts that close; false when {@code maxBytes} went out first.
         */
        public boolean writeUntilClosed(byte[] chunk, long maxBytes) {
            long sent = 0;
            try {
                while (sent < maxBytes) {
                    out.write(chunk);
                    sent += chunk.length;
                }
                out.flush();
                return false;
            } catch (IOException closedByTheProxy) {
                closedByProxy.incrementAndGet();
                return true;
            }
        }

        /** Waits until the proxy closes this connection; true when it did within {@code millis}. */
        public boolean awaitClosedByPeer(long millis) throws IOException {
            socket.setSoTimeout((int) millis);
            try {
                while (in.read() >= 0) {
                    // drain whatever is still sent
                }
                closedByProxy.incrementAndGet();
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                closedByProxy.incrementAndGet();
                return true;
            }
        }
    }

    private final ServerSocket server;
    private final IntFunction<Script> scripts;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByProxy = new AtomicInteger();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /** Every connection runs {@code script}. */
    public ScriptedUpstream(Script script) {
        this(i -> script);
    }

    public ScriptedUpstream(IntFunction<Script> scripts) {
        this.scripts = scripts;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "scripted-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections whose end the script saw come from the proxy (EOF or reset while it waited). */
    public int connectionsClosedByProxy() {
        return closedByProxy.get();
    }

    /** Every request head read so far, in order. */
    public List<String> heads() {
        return heads;
    }

    /** Exceptions the scripts threw other than the proxy going away (should stay empty). */
    public List<Throwable> failures() {
        return failures;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException closed) {
                return;
            }
            int index = accepted.getAndIncrement();
            open.add(s);
            Thread t = new Thread(() -> {
                try (s) {
                    scripts.apply(index).run(new Conn(s));
                } catch (IOException peerGone) {
                    // the proxy closed or reset the connection under the script
                } catch (Throwable t2) {
                    failures.add(t2);
                } finally {
                    open.remove(s);
                }
            }, "scripted-upstream-" + index);
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
