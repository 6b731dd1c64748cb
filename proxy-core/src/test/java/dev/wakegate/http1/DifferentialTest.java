package dev.wakegate.http1;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test against Netty's {@code HttpRequestDecoder}: on a corpus of valid heads and
 * request-smuggling shapes, we accept no head that Netty rejects, we read every head we both
 * accept the same way (method, target, Host, framing, keep-alive), and every head Netty accepts
 * but we reject is listed in {@link #STRICTER} with the reason.
 */
class DifferentialTest {

    private static final String H = "GET / HTTP/1.1\r\nHost: a\r\n";

    /** Heads Netty (4.2, default config) accepts and we reject on purpose, with why. */
    private static final Map<String, String> STRICTER = new LinkedHashMap<>();

    private static void stricter(List<String> corpus, String head, String why) {
        corpus.add(head);
        STRICTER.put(head, why);
    }

    static List<String> corpus() {
        List<String> c = new ArrayList<>();
        STRICTER.clear();
        stricter(c, H + "Transfer-Encoding: gzip, chunked\r\n\r\n",
                "we decode no codings: a proxy that forwards gzip-coded bodies it cannot check answers 501 (RFC 9112 6.1)");
        stricter(c, H + " X: 1\r\n\r\n",
                "whitespace before the first field line: RFC 9112 2.2 says reject; Netty appends it to the Host value");
        stricter(c, H + "X: 1\r\n\tfolded\r\n\r\n", "obs-fold: RFC 9112 5.2 lets a server reject it; wakegate rejects it");
        stricter(c, "GET /a\u0000 HTTP/1.1\r\nHost: a\r\n\r\n", "NUL in the target: Netty keeps it (and it would reach the upstream)");
        stricter(c, "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "exactly one SP between request-line parts (RFC 9112 3)");
        stricter(c, "GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n", "HTAB as a request-line separator is only a MAY; CTL in the head");
        stricter(c, "GET / HTTP/1.2\r\nHost: a\r\n\r\n", "505: only 1.0 and 1.1 are spoken");
        stricter(c, "GET / HTTP/2.0\r\nHost: a\r\n\r\n", "505: HTTP/2 does not use this syntax");
        stricter(c, "GET / HTTP/0.9\r\n\r\n", "505: HTTP/0.9 is not supported");
        stricter(c, "GET / http/1.1\r\nHost: a\r\n\r\n", "HTTP-name is case-sensitive (RFC 9112 2.3)");
        stricter(c, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 without Host: MUST 400 (RFC 9112 3.2)");
        stricter(c, H + "Host: b\r\n\r\n", "more than one Host: MUST 400 (RFC 9112 3.2)");
        stricter(c, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "Host must be uri-host [:port] (RFC 9110 7.2)");
        stricter(c, "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "Host must be uri-host [:port] (RFC 9110 7.2)");
        stricter(c, "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "asterisk-form is only for OPTIONS (RFC 9112 3.2.4)");
        stricter(c, "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", "raw non-ASCII in the target is not a URI (RFC 3986); clients percent-encode");
        StringBuilder many = new StringBuilder(H);
        for (int i = 0; i < Feeding.MAX_HEADERS + 5; i++) {
            many.append("X").append(i).append(": v\r\n");
        }
        stricter(c, many + "\r\n", "431 beyond maxHeaders; Netty limits only the bytes");
        c.add(HeadFixtures.CHROME_GET_TEXT);
        c.add(H + "\r\n");
        c.add("GET / HTTP/1.0\r\n\r\n");
        c.add("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        c.add("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        c.add("POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        c.add("POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n");
        c.add("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
        c.add("GET http://a.example:8080/x?y HTTP/1.1\r\nHost: a.example:8080\r\n\r\n");
        c.add("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n");
        c.add("\r\n\r\n" + H + "\r\n");
        c.add(H + "Connection: close\r\n\r\n");
        c.add(H + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        c.add(H + "X: \u00e9\r\n\r\n");
        c.add(H + "X:\r\n\r\n");
        c.add(H + "X: a\tb\r\n\r\n");
        c.add("PROPFIND /dav HTTP/1.1\r\nHost: a\r\n\r\n");
        // smuggling and malformed shapes
        c.add(H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        c.add(H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n");
        c.add(H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n");
        c.add(H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n");
        c.add(H + "Content-Length: 5,6\r\n\r\n");
        c.add(H + "Content-Length: 5, 5\r\n\r\n");
        c.add(H + "Content-Length: +5\r\n\r\n");
        c.add(H + "Content-Length: -5\r\n\r\n");
        c.add(H + "Content-Length: 1_0\r\n\r\n");
        c.add(H + "Content-Length: 0x10\r\n\r\n");
        c.add(H + "Content-Length: 5 \r\n\r\n");
        c.add(H + "Content-Length: \r\n\r\n");
        c.add(H + "Content-Length: 99999999999999999999999\r\n\r\n");
        c.add(H + "Transfer-Encoding: chunked\r\n chunked\r\n\r\n");
        c.add(H + "Transfer-Encoding:\r\n chunked\r\n\r\n");
        c.add(H + "Transfer-Encoding : chunked\r\n\r\n");
        c.add(H + "Transfer-Encoding\t: chunked\r\n\r\n");
        c.add(H + "Transfer-Encoding: xchunked\r\n\r\n");
        c.add(H + "Transfer-Encoding: chunked, gzip\r\n\r\n");
        c.add(H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n");
        c.add(H + "Transfer-Encoding: identity\r\n\r\n");
        c.add(H + "Transfer-Encoding: \u000bchunked\r\n\r\n");
        c.add("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
        c.add("GET / HTTP/1.1\r\n Host: a\r\n\r\n");
        c.add(H + "X : 1\r\n\r\n");
        c.add(H + ": 1\r\n\r\n");
        c.add(H + "X\u0000Y: 1\r\n\r\n");
        c.add(H + "X: a\u0000b\r\n\r\n");
        c.add(H + "X: a\rb\r\n\r\n");
        c.add(H + "X: a\u007fb\r\n\r\n");
        c.add(H + "X: a\u000bb\r\n\r\n");
        c.add("GET / HTTP/1.1\rHost: a\r\n\r\n");
        c.add("GET / HTTP/1.1\nHost: a\n\n");
        c.add(H + "X: 1\n\r\n");
        c.add(H + "\n");
        c.add("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n");
        c.add("GET / HTTP/1.1 \r\nHost: a\r\n\r\n");
        c.add("GET /\r\n\r\n");
        c.add("G@T / HTTP/1.1\r\nHost: a\r\n\r\n");
        c.add("GET\u0000 / HTTP/1.1\r\nHost: a\r\n\r\n");
        c.add("GET /" + "a".repeat(Feeding.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        c.add(H + "X: " + "v".repeat(Feeding.MAX_HEAD_SIZE) + "\r\n\r\n");
        return c;
    }

    @Test
    void acceptsNothingNettyRejectsAndReadsSharedHeadsTheSameWay() {
        List<String> problems = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (String text : corpus()) {
            byte[] input = HeadFixtures.bytes(text);
            String netty = NettyOracle.decode(input);
            String ours = NettyOracle.ours(input);
            String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
            shown = shown.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\0");
            report.append(String.format("%-90s netty=%-60.60s ours=%s%n", shown, netty, ours));
            if (ours.startsWith("OK")) {
                if (!ours.equals(netty)) {
                    problems.add(shown + "\n  netty: " + netty + "\n  ours:  " + ours);
                }
            } else if (netty.startsWith("OK") && !STRICTER.containsKey(text)) {
                problems.add("stricter without a listed reason: " + shown + "\n  netty: " + netty + "\n  ours:  " + ours);
            }
            if (STRICTER.containsKey(text) && ours.startsWith("OK")) {
                problems.add("listed as stricter but accepted: " + shown);
            }
        }
        System.out.println(report);
        STRICTER.forEach((head, why) -> System.out.println("stricter than Netty: " + why));
        assertThat(problems).isEmpty();
    }
}
