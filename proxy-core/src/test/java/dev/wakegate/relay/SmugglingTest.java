package dev.wakegate.relay;

import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests a strict RFC 9112 reader rejects: each gets its 4xx/5xx problem response, the
 * connection is closed, and the upstream receives not a single byte.
 */
class SmugglingTest {
    private static ProxyHarness h;

    @BeforeAll
    static void start() {
        h = new ProxyHarness(FakeGate.allReady());
    }

    @AfterAll
    static void stop() {
        h.awaitQuiet();
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            content-length and transfer-encoding | 400 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            conflicting content-length           | 400 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\nhello!
            obs-fold                             | 400 | GET /a HTTP/1.1\\r\\nHost: t\\r\\nX-A: b\\r\\n  c\\r\\n\\r\\n
            space before colon                   | 400 | GET /a HTTP/1.1\\r\\nHost : t\\r\\n\\r\\n
            bare CR                              | 400 | GET /a HTTP/1.1\\r\\nHost: t\\r\\nX-A: b\\rc\\r\\n\\r\\n
            NUL in a value                       | 400 | GET /a HTTP/1.1\\r\\nHost: t\\r\\nX-A: b\\0c\\r\\n\\r\\n
            missing Host                         | 400 | GET /a HTTP/1.1\\r\\nX-A: b\\r\\n\\r\\n
            bad chunk size                       | 400 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nhello\\r\\n0\\r\\n\\r\\n
            chunk size with sign                 | 400 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n+5\\r\\nhello\\r\\n0\\r\\n\\r\\n
            unterminated quoted chunk extension  | 400 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0;a="x\\r\\n\\r\\n
            chunk extension without a name       | 400 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5;=x\\r\\nhello\\r\\n0\\r\\n\\r\\n
            unknown transfer-encoding            | 501 | POST /a HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n
            """)
    void rejectsBeforeAnyByteReachesTheUpstream(String name, int status, String request) {
        long before = h.a.bytesReceived();
        String wire = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
        try (RawHttpClient c = h.client()) {
            Response r = c.send(wire).read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(h.a.bytesReceived()).isEqualTo(before);
    }

    @Test
    void malformedExtensionInALaterChunkEndsTheRequestBeforeTheUpstreamHasAllOfIt() {
        int requestsBefore = h.a.requests().size();
        long bytesBefore = h.a.bytesReceived();
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            await().until(() -> h.a.bytesReceived() > bytesBefore); // head and first chunk are on their way
            Response r = c.send("0;a=\"x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("unterminated quoted string in a chunk extension");
            assertThat(c.isClosedByServer()).isTrue();
        }
        // the upstream connection was closed mid-body: the upstream never had a whole request to run
        assertThat(h.a.requests()).hasSize(requestsBefore);
    }

    @ParameterizedTest(name = "{0} bytes of request line")
    @CsvSource({"9000, 414", "40000, 431"})
    void oversizedHeadsAreRejected(int size, int status) {
        long before = h.a.bytesReceived();
        String wire = status == 414
                ? "GET /a/" + "x".repeat(size) + " HTTP/1.1\r\nHost: t\r\n\r\n"
                : "GET /a HTTP/1.1\r\nHost: t\r\nX-Big: " + "y".repeat(size) + "\r\n\r\n";
        try (RawHttpClient c = h.client()) {
            Response r = c.send(wire).read();
            assertThat(r.status()).isEqualTo(status);
        }
        assertThat(h.a.bytesReceived()).isEqualTo(before);
    }
}
