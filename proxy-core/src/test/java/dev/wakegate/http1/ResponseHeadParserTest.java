package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.wakegate.http1.Feeding.response;
import static org.assertj.core.api.Assertions.assertThat;

class ResponseHeadParserTest {

    private static ResponseHead parsed(String input) {
        assertThat(response(input)).startsWith("OK");
        ResponseHead head = new ResponseHead();
        ByteBuf buf = Unpooled.copiedBuffer(HeadFixtures.bytes(input));
        try {
            assertThat(new ResponseHeadParser(1024).parse(buf, head)).isPositive();
        } finally {
            buf.release();
        }
        return head;
    }

    @Test
    void parsesStatusLengthAndKeepAlive() {
        ResponseHead head = parsed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world!");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.isHttp11()).isTrue();
        assertThat(head.contentLength()).isEqualTo(12);
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.headLength()).isEqualTo(65);
        assertThat(head.bodyMode(false)).isEqualTo(BodyFramer.Mode.LENGTH);
        assertThat(head.bodyMode(true)).isEqualTo(BodyFramer.Mode.NONE);
        assertThat(head.headerCount()).isEqualTo(2);
    }

    @Test
    void reasonPhraseMayBeEmptyOrMissing() {
        assertThat(parsed("HTTP/1.1 204 \r\n\r\n").status()).isEqualTo(204);
        assertThat(parsed("HTTP/1.1 204\r\n\r\n").bodyMode(false)).isEqualTo(BodyFramer.Mode.NONE);
        assertThat(parsed("HTTP/1.1 404 Not Found Here\r\n\r\n").status()).isEqualTo(404);
    }

    @Test
    void bareLfEndsLinesLikeCrLfAndIsNoted() {
        ResponseHead head = parsed("HTTP/1.1 200 OK\nContent-Type: text/plain\r\nContent-Length: 2\n\nhi");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.contentLength()).isEqualTo(2);
        assertThat(head.headLength()).isEqualTo(61);
        assertThat(head.headerCount()).isEqualTo(2);
        ResponseHeadParser parser = new ResponseHeadParser(1024);
        ByteBuf lf = Unpooled.copiedBuffer(HeadFixtures.bytes("HTTP/1.1 204 No Content\n\n"));
        ByteBuf crlf = Unpooled.copiedBuffer(HeadFixtures.bytes("HTTP/1.1 204 No Content\r\n\r\n"));
        try {
            assertThat(parser.parse(lf, new ResponseHead())).isEqualTo(25);
            assertThat(parser.sawBareLf()).isTrue();
            parser.reset();
            assertThat(parser.parse(crlf, new ResponseHead())).isEqualTo(27);
            assertThat(parser.sawBareLf()).isFalse();
        } finally {
            lf.release();
            crlf.release();
        }
    }

    @Test
    void withCrLfRewritesOnlyTheHeadsBareLfs() {
        ByteBuf in = Unpooled.copiedBuffer(HeadFixtures.bytes("HTTP/1.1 200 OK\nA: 1\r\nB: 2\n\nbody\nmore"));
        ByteBuf out = ResponseHeadParser.withCrLf(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, in, 32);
        try {
            assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\nbody\nmore");
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void chunkedAndUntilClose() {
        assertThat(parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").bodyMode(false))
                .isEqualTo(BodyFramer.Mode.CHUNKED);
        ResponseHead gz = parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        assertThat(gz.isChunked()).isTrue();
        ResponseHead raw = parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
        assertThat(raw.bodyMode(false)).isEqualTo(BodyFramer.Mode.UNTIL_CLOSE);
        assertThat(raw.keepAlive()).isFalse();
        ResponseHead noLength = parsed("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(noLength.bodyMode(false)).isEqualTo(BodyFramer.Mode.UNTIL_CLOSE);
    }

    @Test
    void http10AndConnectionHeader() {
        assertThat(parsed("HTTP/1.0 200 OK\r\n\r\n").keepAlive()).isFalse();
        assertThat(parsed("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(parsed("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
        assertThat(parsed("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                .isInformational()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: 1\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX : 1\r\n\r\n",
            "HTTP/1.1 200 OK\rX: 1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: \u0000\r\n\r\n",
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 099 OK\r\n\r\n",
            "HTTP/1.1  200 OK\r\n\r\n",
            "ICY 200 OK\r\n\r\n",
            "\r\nHTTP/1.1 200 OK\r\n\r\n",
    })
    void rejectsHeadsAClientCouldFrameDifferently(String input) {
        assertThat(response(input)).startsWith("ERROR ");
    }

    @Test
    void headOverTheLimitIsAnError() {
        assertThat(response("HTTP/1.1 200 OK\r\nX: " + "v".repeat(2000) + "\r\n\r\n")).isEqualTo("ERROR head too large");
    }
}
