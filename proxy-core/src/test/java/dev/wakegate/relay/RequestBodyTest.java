package dev.wakegate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBodyTest {
    private final RequestBody body = new RequestBody();

    private boolean scan(String bytes) {
        ByteBuf in = Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1);
        try {
            return body.scanAhead(in);
        } finally {
            in.release();
        }
    }

    @Test
    void aMalformedChunkedBodyIsA400SayingWhatWasWrong() {
        body.reset(HttpExchangeTest.head("POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertThat(scan("zz\r\n")).isFalse();
        assertThat(body.failureStatus()).isEqualTo(400);
        assertThat(body.failureDetail()).startsWith("malformed chunked body: ").doesNotEndWith("null");
    }

    @Test
    void aChunkedBodyPastItsLimitIsA413() {
        body.reset(HttpExchangeTest.head("POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
        body.limitChunked(4);
        assertThat(scan("5\r\nhello\r\n")).isFalse();
        assertThat(body.failureStatus()).isEqualTo(413);
        assertThat(body.failureDetail()).startsWith("request body too large: ").doesNotEndWith("null");
    }
}
