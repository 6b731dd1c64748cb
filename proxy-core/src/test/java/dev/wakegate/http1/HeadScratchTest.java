package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parse arrays are lent per thread: a parser and head between requests hold none, the next
 * request takes the same ones back, and a head that is still partial keeps its own while other
 * connections on the same thread parse theirs.
 */
class HeadScratchTest {
    private static final String GET = "GET /a/b?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: text/html\r\n"
            + "User-Agent: curl/8\r\n\r\n";

    private static ByteBuf direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.directBuffer(b.length).writeBytes(b);
    }

    private static RequestHeadParser parser() {
        return new RequestHeadParser(8192, 16384, 100);
    }

    @Test
    void aResetHeadAndParserHoldNoArraysAndTheNextRequestTakesTheSameOnesBack() {
        RequestHeadParser parser = parser();
        RequestHead head = new RequestHead();
        ByteBuf in = direct(GET);
        try {
            assertThat(parser.parse(in, head)).isEqualTo(GET.length());
            assertThat(head.uri()).isEqualTo("/a/b?q=1");
            int[] fields = head.nameStart;
            byte[] raw = head.raw;
            assertThat(fields).hasSize(HeadScratch.FIELDS);
            assertThat(raw.length).isGreaterThanOrEqualTo(GET.length());

            parser.reset();
            head.reset();
            assertThat(head.nameStart).isEmpty();
            assertThat(head.raw).isEmpty();

            assertThat(parser.parse(in, head)).isEqualTo(GET.length());
            assertThat(head.nameStart).isSameAs(fields);
            assertThat(head.accept()).isEqualTo("text/html");
            assertThat(head.userAgent().toString()).isEqualTo("curl/8");
            parser.reset();
            head.reset();
        } finally {
            in.release();
        }
    }

    @Test
    void partialHeadsOfTwoConnectionsOnOneThreadKeepTheirOwnBytes() {
        RequestHeadParser p1 = parser();
        RequestHeadParser p2 = parser();
        RequestHead h1 = new RequestHead();
        RequestHead h2 = new RequestHead();
        String other = "POST /upload HTTP/1.1\r\nHost: other.example\r\nContent-Length: 3\r\nAccept: */*\r\n\r\n";
        ByteBuf c1 = direct(GET.substring(0, 20));
        ByteBuf c2 = direct(other.substring(0, 30));
        try {
            assertThat(p1.parse(c1, h1)).isEqualTo(RequestHead.NEED_MORE);
            assertThat(p2.parse(c2, h2)).isEqualTo(RequestHead.NEED_MORE);
            // a third connection completes a request and gives its arrays back meanwhile
            RequestHeadParser p3 = parser();
            RequestHead h3 = new RequestHead();
            ByteBuf c3 = direct(GET);
            assertThat(p3.parse(c3, h3)).isEqualTo(GET.length());
            p3.reset();
            h3.reset();
            c3.release();

            c1.writeBytes(GET.substring(20).getBytes(StandardCharsets.US_ASCII));
            c2.writeBytes(other.substring(30).getBytes(StandardCharsets.US_ASCII));
            assertThat(p2.parse(c2, h2)).isEqualTo(other.length());
            assertThat(p1.parse(c1, h1)).isEqualTo(GET.length());
            assertThat(h1.uri()).isEqualTo("/a/b?q=1");
            assertThat(h1.host()).isEqualTo("example.com");
            assertThat(h1.accept()).isEqualTo("text/html");
            assertThat(h2.uri()).isEqualTo("/upload");
            assertThat(h2.host()).isEqualTo("other.example");
            assertThat(h2.accept()).isEqualTo("*/*");
            assertThat(h2.contentLength()).isEqualTo(3);
        } finally {
            c1.release();
            c2.release();
        }
    }

    @Test
    void aHeadWithManyFieldsGrowsItsOwnArraysAndThePoolKeepsOnlyStandardOnes() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 40; i++) {
            sb.append("X-F").append(i).append(": v\r\n");
        }
        String many = sb.append("\r\n").toString();
        RequestHeadParser parser = parser();
        RequestHead head = new RequestHead();
        ByteBuf in = direct(many);
        try {
            assertThat(parser.parse(in, head)).isEqualTo(many.length());
            assertThat(head.headerCount()).isEqualTo(41);
            int held = HeadScratch.local().heldFieldSets();
            parser.reset();
            head.reset();
            assertThat(HeadScratch.local().heldFieldSets()).isEqualTo(held);
        } finally {
            in.release();
        }
    }
}
