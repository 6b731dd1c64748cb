package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static dev.wakegate.http1.Feeding.request;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.assertj.core.api.Assertions.assertThat;

/** Every input is also fed split at every byte boundary and byte by byte (see {@link Feeding}). */
class RequestHeadParserTest {

    private static RequestHead parsed(String input) {
        String outcome = request(input);
        assertThat(outcome).startsWith("OK");
        RequestHeadParser parser = Feeding.requestParser();
        RequestHead head = new RequestHead();
        ByteBuf buf = Unpooled.copiedBuffer(HeadFixtures.bytes(input));
        try {
            assertThat(parser.parse(buf, head)).isPositive();
        } finally {
            buf.release();
        }
        return head;
    }

    private static void rejected(String input, int status) {
        assertThat(request(input)).startsWith("ERROR " + status + " ");
    }

    @Test
    void parsesABrowserRequest() {
        RequestHead head = parsed(HeadFixtures.CHROME_GET_TEXT);
        assertThat(head.method()).isSameAs(Methods.GET);
        assertThat(head.uri()).isEqualTo("/dashboards/d/overview?orgId=1&refresh=30s");
        assertThat(head.path()).isEqualTo("/dashboards/d/overview");
        assertThat(head.host()).isEqualTo("grafana.example.internal:8000");
        assertThat(head.isHttp11()).isTrue();
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.hasBody()).isFalse();
        assertThat(head.accept()).startsWith("text/html,");
        assertThat(head.headLength()).isEqualTo(HeadFixtures.CHROME_GET.length);
        assertThat(head.headerCount()).isEqualTo(10);
    }

    @Test
    void lazyValuesSurviveTheBufferAndTheParsersNextHead() {
        RequestHeadParser parser = Feeding.requestParser();
        RequestHead first = new RequestHead();
        RequestHead second = new RequestHead();
        ByteBuf buf = Unpooled.directBuffer();
        try {
            buf.writeBytes(HeadFixtures.bytes("GET /a?x=1 HTTP/1.1\r\nHost: h\r\nAccept: text/html\r\n"
                    + "Authorization: Basic YTpi\r\nConnection: upgrade\r\nUpgrade: websocket\r\nExpect: 100-continue\r\n\r\n"));
            assertThat(parser.parse(buf, first)).isPositive();
            buf.clear().writeBytes(HeadFixtures.bytes("GET /other/path?y=2 HTTP/1.1\r\nHost: h2\r\nAccept: image/png\r\n"
                    + "Accept: */*\r\nAuthorization: Bearer zz\r\n\r\n"));
            parser.reset();
            assertThat(parser.parse(buf, second)).isPositive();
            buf.setZero(0, buf.writerIndex());
        } finally {
            buf.release();
        }
        assertThat(first.uri()).isEqualTo("/a?x=1");
        assertThat(first.accept()).isEqualTo("text/html");
        assertThat(first.authorization()).isEqualTo("Basic YTpi");
        assertThat(first.upgrade()).isEqualTo("websocket");
        assertThat(first.expect()).isEqualTo("100-continue");
        assertThat(second.uri()).isEqualTo("/other/path?y=2");
        assertThat(second.accept()).isEqualTo("image/png, */*");
        assertThat(second.authorization()).isEqualTo("Bearer zz");
        assertThat(second.upgrade()).isNull();
        assertThat(second.expect()).isNull();
    }

    @Test
    void fieldOffsetsPointAtNameAndTrimmedValue() {
        String input = "GET / HTTP/1.1\r\nHost:  a \t\r\nX-Empty:\r\n\r\n";
        RequestHead head = parsed(input);
        assertThat(head.headerCount()).isEqualTo(2);
        assertThat(input.substring(head.nameStart(0), head.nameEnd(0))).isEqualTo("Host");
        assertThat(input.substring(head.valueStart(0), head.valueEnd(0))).isEqualTo("a");
        assertThat(input.substring(head.nameStart(1), head.nameEnd(1))).isEqualTo("X-Empty");
        assertThat(head.valueStart(1)).isEqualTo(head.valueEnd(1));
        assertThat(head.host()).isEqualTo("a");
    }

    @Test
    void returnsNeedMoreUntilTheEmptyLine() {
        assertThat(request("GET / HTTP/1.1\r\nHost: a\r\n")).isEqualTo("NEED_MORE");
        assertThat(request("GET / HTTP/1.1\r\nHost: a\r\n\r")).isEqualTo("NEED_MORE");
    }

    @Test
    void reportsHeadLengthSoPipelinedBytesAreLeftAlone() {
        String input = "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n";
        RequestHead head = parsed(input);
        assertThat(head.headLength()).isEqualTo(input.indexOf("hello"));
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.hasBody()).isTrue();
    }

    @Test
    void skipsLeadingEmptyLinesAndCountsThem() {
        RequestHead head = parsed("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(head.headLength()).isEqualTo(4 + 16 + 9 + 2);
        assertThat(head.method()).isEqualTo("GET");
    }

    @Test
    void usesSharedConstantsForCommonMethods() {
        for (String m : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"}) {
            RequestHead head = parsed(m + " / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(head.method()).isEqualTo(m).isSameAs(m.intern());
        }
        assertThat(parsed("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n").method()).isEqualTo("PROPFIND");
        assertThat(parsed("get / HTTP/1.1\r\nHost: a\r\n\r\n").method()).isEqualTo("get").isNotSameAs(Methods.GET);
    }

    @Test
    void pathStopsAtQueryOrFragment() {
        assertThat(parsed("GET /a/b?x=1 HTTP/1.1\r\nHost: a\r\n\r\n").path()).isEqualTo("/a/b");
        assertThat(parsed("GET /a/b#f HTTP/1.1\r\nHost: a\r\n\r\n").path()).isEqualTo("/a/b");
        assertThat(parsed("GET /a/b HTTP/1.1\r\nHost: a\r\n\r\n").path()).isEqualTo("/a/b");
    }

    @Test
    void absoluteFormPathIsThePartAfterTheAuthority() {
        RequestHead head = parsed("GET http://example.com:8080/x/y?q=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
        assertThat(head.uri()).isEqualTo("http://example.com:8080/x/y?q=1");
        assertThat(head.path()).isEqualTo("/x/y");
        assertThat(parsed("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n").path()).isEqualTo("/");
        assertThat(parsed("GET http://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n").path()).isEqualTo("/");
        rejected("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        rejected("GET http:/x HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    }

    @Test
    void asteriskFormOnlyForOptions() {
        assertThat(parsed("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").path()).isEqualTo("*");
        rejected("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        rejected("OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    }

    @Test
    void connectTakesAnAuthorityForm() {
        RequestHead head = parsed("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertThat(head.method()).isSameAs(Methods.CONNECT);
        assertThat(head.uri()).isEqualTo("example.com:443");
        rejected("CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    }

    @Test
    void http10DefaultsToCloseAndNeedsNoHost() {
        RequestHead head = parsed("GET / HTTP/1.0\r\n\r\n");
        assertThat(head.isHttp11()).isFalse();
        assertThat(head.keepAlive()).isFalse();
        assertThat(head.host()).isNull();
        assertThat(parsed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
    }

    @Test
    void connectionTokensAreACaseInsensitiveList() {
        assertThat(parsed("GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n").keepAlive()).isFalse();
        RequestHead ws = parsed("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n");
        assertThat(ws.upgrade()).isEqualTo("websocket");
        assertThat(ws.keepAlive()).isTrue();
        assertThat(parsed("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n").upgrade()).isNull();
        assertThat(parsed("GET / HTTP/1.1\r\nHost: a\r\nConnection: x,,close ,\r\n\r\n").keepAlive()).isFalse();
        assertThat(parsed("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n").keepAlive()).isTrue();
    }

    @Test
    void expectAndAuthorizationAreKept() {
        RequestHead head = parsed("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nAuthorization: Bearer t0k\r\n"
                + "Content-Length: 3\r\n\r\n");
        assertThat(head.expectContinue()).isTrue();
        assertThat(head.expect()).isEqualTo("100-Continue");
        assertThat(head.authorization()).isEqualTo("Bearer t0k");
        rejected("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n", 400);
    }

    @Test
    void acceptsChunkedCaseInsensitively() {
        RequestHead head = parsed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD \r\n\r\n");
        assertThat(head.isChunked()).isTrue();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.hasBody()).isTrue();
    }

    @Test
    void acceptsLargeContentLengthAndLeadingZeros() {
        assertThat(parsed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999\r\n\r\n").contentLength())
                .isEqualTo(999_999_999_999_999_999L);
        assertThat(parsed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n").contentLength()).isEqualTo(7);
    }

    @Test
    void acceptsObsTextAndTabsInFieldValues() {
        RequestHead head = parsed("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\tbar\r\n\r\n");
        assertThat(head.headerCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1_0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\tfolded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n",
            "GET / HTTP/1.1\rHost: a\r\n\r\n",
            "GET / HTTP/1.1\nHost: a\n\n",
            "GET / HTTP/1.1\r\nHost: a\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n",
            "GET /\u0000 HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
            "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /\t HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
            " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / http/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/11\r\nHost: a\r\n\r\n",
            "GET /\r\nHost: a\r\n\r\n",
            "GET\r\n\r\n",
            "\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX-\u00e9: 1\r\n\r\n",
            "foo / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\r\n",
    })
    void rejectsMalformedHeadsWith400(String input) {
        rejected(input, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunkedx\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n",
    })
    void rejectsUnknownTransferEncodingWith501(String input) {
        rejected(input, 501);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.0"})
    void rejectsOtherVersionsWith505(String version) {
        rejected("GET / " + version + "\r\nHost: a\r\n\r\n", 505);
    }

    /** Each limit: the largest head it lets through, the same head one byte (or field) longer, the status that refuses it. */
    static Stream<Arguments> limits() {
        String line = "GET /" + "a".repeat(Feeding.MAX_REQUEST_LINE - 14) + " HTTP/1.1";
        String field = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        String fill = "v".repeat(Feeding.MAX_HEAD_SIZE - field.length() - 4);
        StringBuilder fields = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < Feeding.MAX_HEADERS; i++) {
            fields.append("X").append(i).append(": v\r\n");
        }
        return Stream.of(
                arguments("max_request_line", line + "\r\nHost: a\r\n\r\n", "uri=/" + "a".repeat(Feeding.MAX_REQUEST_LINE - 14) + " ",
                        line + "a\r\nHost: a\r\n\r\n", 414),
                arguments("max_head_size", field + fill + "\r\n\r\n", "OK len=" + Feeding.MAX_HEAD_SIZE + " ",
                        field + fill + "v\r\n\r\n", 431),
                arguments("max_headers", fields + "\r\n", " fields=" + Feeding.MAX_HEADERS + " ",
                        fields + "Y: v\r\n\r\n", 431));
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("limits")
    void aHeadAtItsLimitPassesAndOneByteOrFieldMoreIsRefused(String limit, String atLimit, String parsedAs, String over,
                                                             int status) {
        assertThat(request(atLimit)).startsWith("OK").contains(parsedAs);
        rejected(over, status);
    }

    @Test
    void aLimitIsKnownToBeExceededWithoutWaitingForTheEndOfTheLineOrHead() {
        assertThat(request("GET /" + "a".repeat(Feeding.MAX_REQUEST_LINE))).startsWith("ERROR 414");
        assertThat(request("GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(2 * Feeding.MAX_HEAD_SIZE))).startsWith("ERROR 431");
        assertThat(request("\r\n".repeat(Feeding.MAX_HEAD_SIZE))).startsWith("ERROR 431");
    }

    @Test
    void growsFieldArraysUpToMaxHeaders() {
        RequestHeadParser parser = new RequestHeadParser(8192, 65536, 200);
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < 200; i++) {
            sb.append("X").append(i).append(": v\r\n");
        }
        byte[] input = HeadFixtures.bytes(sb + "\r\n");
        String outcome = Feeding.parseRequest(parser, input, false);
        assertThat(outcome).startsWith("OK").contains("fields=200");
    }

    @Test
    void isReusableAfterReset() {
        RequestHeadParser parser = Feeding.requestParser();
        byte[] bad = HeadFixtures.bytes("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assertThat(Feeding.parseRequest(parser, bad, true)).startsWith("ERROR 400");
        assertThat(Feeding.parseRequest(parser, HeadFixtures.CHROME_GET, true)).startsWith("OK");
        assertThat(Feeding.parseRequest(parser, HeadFixtures.CHROME_GET, false, 7, 300)).startsWith("OK");
    }

    @Test
    void aResetHeadHasNoValuesUntilTheNextParse() {
        RequestHead head = parsed("POST /a?b HTTP/1.1\r\nHost: h\r\nAccept: x\r\nExpect: 100-continue\r\n"
                + "Authorization: Basic x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        head.reset();
        assertThat(head.method()).isNull();
        assertThat(head.uri()).isNull();
        assertThat(head.path()).isNull();
        assertThat(head.host()).isNull();
        assertThat(head.accept()).isNull();
        assertThat(head.expect()).isNull();
        assertThat(head.authorization()).isNull();
        assertThat(head.upgrade()).isNull();
        assertThat(head.transferEncoding()).isNull();
        assertThat(head.errorReason()).isNull();
        assertThat(head.headerCount()).isZero();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.isChunked()).isFalse();
    }
}
