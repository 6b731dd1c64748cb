package dev.wakegate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CumulationTest {
    private final RequestBody body = new RequestBody();
    private final Cumulation cumulation = new Cumulation(body);

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsAreMergedInOrderAndTheFirstIsKeptWithoutACopy() {
        ByteBuf first = bytes("GET / HT");
        cumulation.add(ByteBufAllocator.DEFAULT, first);
        assertThat(cumulation.buf()).isSameAs(first);
        cumulation.add(ByteBufAllocator.DEFAULT, bytes("TP/1.1\r\n"));
        assertThat(cumulation.readableBytes()).isEqualTo(16);
        assertThat(cumulation.buf().toString(StandardCharsets.ISO_8859_1)).isEqualTo("GET / HTTP/1.1\r\n");
        cumulation.release();
        assertThat(first.refCnt()).isZero();
        assertThat(cumulation.buf()).isNull();
        assertThat(cumulation.buffered()).isFalse();
    }

    @Test
    void trimReleasesAnEmptyBufferAndKeepsOneWithUnreadBytes() {
        ByteBuf b = bytes("abc");
        cumulation.add(ByteBufAllocator.DEFAULT, b);
        b.skipBytes(1);
        cumulation.trim();
        assertThat(cumulation.buffered()).isTrue();
        assertThat(cumulation.buf().toString(StandardCharsets.ISO_8859_1)).isEqualTo("bc");
        b.skipBytes(2);
        cumulation.trim();
        assertThat(b.refCnt()).isZero();
        assertThat(cumulation.buf()).isNull();
    }

    @Test
    void trimKeepsReadBytesWhileARetainedSliceSharesTheBuffer() {
        cumulation.add(ByteBufAllocator.DEFAULT, bytes("abcdef"));
        ByteBuf slice = cumulation.buf().readRetainedSlice(3);
        cumulation.trim();
        assertThat(slice.toString(StandardCharsets.ISO_8859_1)).isEqualTo("abc");
        assertThat(cumulation.buf().readerIndex()).isEqualTo(3);
        slice.release();
        cumulation.trim();
        assertThat(cumulation.buf().readerIndex()).isZero();
        cumulation.release();
    }

    @Test
    void releasingForgetsTheBodyBytesThatWereReadyInIt() {
        body.reset(HttpExchangeTest.head("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n"));
        cumulation.add(ByteBufAllocator.DEFAULT, bytes("wxyz"));
        assertThat(body.scanAhead(cumulation.buf())).isTrue();
        assertThat(body.ready()).isEqualTo(4);
        cumulation.release();
        assertThat(body.ready()).isZero();
    }

    @Test
    void takeHandsTheUnreadBytesOverAndLeavesItEmpty() {
        cumulation.add(ByteBufAllocator.DEFAULT, bytes("early frame"));
        ByteBuf taken = cumulation.take();
        assertThat(cumulation.buf()).isNull();
        assertThat(cumulation.take()).isNull();
        cumulation.release(); // nothing to release: the taker owns it
        assertThat(taken.refCnt()).isEqualTo(1);
        taken.release();
    }
}
