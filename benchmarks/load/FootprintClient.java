import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of benchmarks/load/footprint.sh, on plain blocking sockets (java.base only, so
 * the script compiles it with javac and needs no build). Loopback only: the host is fixed.
 *
 * <pre>
 *   first PORT PATH TIMEOUT_MS   prints "polling" once its first attempt failed, then polls
 *                                GET PATH (1 ms apart) until a 200 and prints the epoch time of
 *                                that answer in ns; exit 1 on timeout
 *   idle PORT PATH N HOLD_S      opens N keep-alive connections, one GET on each (its response
 *                                read whole), prints "held N", keeps them open HOLD_S seconds
 *                                (or until killed), then closes them
 * </pre>
 */
public final class FootprintClient {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "first" -> System.exit(first(Integer.parseInt(args[1]), args[2], Long.parseLong(args[3])));
            case "idle" -> idle(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
            default -> {
                System.err.println("usage: FootprintClient first PORT PATH TIMEOUT_MS | idle PORT PATH N HOLD_S");
                System.exit(2);
            }
        }
    }

    private static int first(int port, String path, long timeoutMs) throws InterruptedException {
        byte[] request = request(path, "close");
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        boolean announced = false;
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                s.setSoTimeout(5000);
                s.getOutputStream().write(request);
                if (status(s.getInputStream(), buf) == 200) {
                    Instant now = Instant.now();
                    System.out.println(now.getEpochSecond() * 1_000_000_000L + now.getNano());
                    return 0;
                }
            } catch (IOException refusedOrReset) {
                // not listening yet, or closed on us while starting: try again
            }
            if (!announced) {
                System.out.println("polling");
                System.out.flush();
                announced = true;
            }
            Thread.sleep(1);
        }
        System.err.println("no 200 from 127.0.0.1:" + port + path + " within " + timeoutMs + " ms");
        return 1;
    }

    private static void idle(int port, String path, int n, long holdSeconds) throws IOException, InterruptedException {
        byte[] request = request(path, "keep-alive");
        byte[] buf = new byte[16384];
        List<Socket> held = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                held.add(s);
                s.connect(new InetSocketAddress(HOST, port), 5000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                int code = readResponse(s.getInputStream(), buf);
                if (code != 200) {
                    throw new IOException("connection " + i + ": status " + code);
                }
            }
            System.out.println("held " + held.size());
            System.out.flush();
            Thread.sleep(holdSeconds * 1000);
        } finally {
            for (Socket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static byte[] request(String path, String connection) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + connection + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The status code of the response's first line (the rest is left unread). */
    private static int status(InputStream in, byte[] buf) throws IOException {
        int have = 0;
        while (have < 12) {
            int r = in.read(buf, have, buf.length - have);
            if (r < 0) {
                return -1;
            }
            have += r;
        }
        return Integer.parseInt(new String(buf, 9, 3, StandardCharsets.US_ASCII));
    }

    /** Reads one whole response with a Content-Length body (nothing else is sent here); returns its status. */
    private static int readResponse(InputStream in, byte[] buf) throws IOException {
        int have = 0;
        int headEnd = -1;
        long contentLength = 0;
        while (true) {
            int r = in.read(buf, have, buf.length - have);
            if (r < 0) {
                throw new IOException("closed after " + have + " bytes");
            }
            have += r;
            if (headEnd < 0) {
                headEnd = indexOf(buf, have, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (headEnd >= 0) {
                    headEnd += 4;
                    String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase();
                    int cl = head.indexOf("\r\ncontent-length:");
                    if (cl >= 0) {
                        int eol = head.indexOf("\r\n", cl + 2);
                        contentLength = Long.parseLong(head.substring(cl + 17, eol).trim());
                    }
                }
            }
            if (headEnd >= 0 && have - headEnd >= contentLength) {
                return Integer.parseInt(new String(buf, 9, 3, StandardCharsets.US_ASCII));
            }
            if (have == buf.length) {
                throw new IOException("response larger than " + buf.length + " bytes");
            }
        }
    }

    private static int indexOf(byte[] buf, int len, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
