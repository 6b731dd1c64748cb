package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BodyFramerTest {

    /** Result of framing {@code input}, fed in pieces split at {@code cuts}, consuming what scan counts. */
    private static String frame(BodyFramer.Mode mode, long length, byte[] input, int... cuts) {
        BodyFramer framer = new BodyFramer();
        framer.reset(mode, length);
        ByteBuf buf = Unpooled.buffer();
        int body = 0;
        try {
            int written = 0;
            int[] all = java.util.Arrays.copyOf(cuts, cuts.length + 1);
            all[cuts.length] = input.length;
            for (int cut : all) {
                buf.writeBytes(input, written, cut - written);
                written = cut;
                int n = framer.scan(buf);
                assertThat(buf.readerIndex()).as("scan must not move the reader index").isZero();
                body += n;
                buf.skipBytes(n);
                buf.discardReadBytes();
                if (framer.isComplete() || framer.error() != null) {
                    break;
                }
            }
        } finally {
            buf.release();
        }
        return "body=" + body + " complete=" + framer.isComplete() + " error=" + framer.error();
    }

    private static String everySplit(BodyFramer.Mode mode, long length, String text) {
        byte[] input = HeadFixtures.bytes(text);
        String whole = frame(mode, length, input);
        assertThat(frame(mode, length, input, Feeding.everyByte(input.length))).as("byte at a time").isEqualTo(whole);
        for (int cut = 1; cut < input.length; cut++) {
            assertThat(frame(mode, length, input, cut)).as("split at %d", cut).isEqualTo(whole);
        }
        return whole;
    }

    @Test
    void chunkedWithExtensionsAndTrailersEndsAfterTheFinalCrlf() {
        String body = "5;name=value;x=\"q\"\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0;last\r\nX-Trailer: t\r\nY: \r\n\r\n";
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, body + "GET / HTTP/1.1\r\n"))
                .isEqualTo("body=" + body.length() + " complete=true error=null");
    }

    @Test
    void chunkedWithoutTrailers() {
        String body = "3\r\nabc\r\n0\r\n\r\n";
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, body + "next")).isEqualTo("body=" + body.length() + " complete=true error=null");
    }

    @Test
    void chunkedIncompleteAsksForMore() {
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, "3\r\nabc\r\n0\r\n")).isEqualTo("body=11 complete=false error=null");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "g\r\n", "\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "-5\r\n", "+5\r\n", "0x5\r\n",
            "5\nhello\r\n0\r\n\r\n", "5\rhello", "5\r\nhelloX\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\r0",
            "40000000000000001\r\n", "FFFFFFFFFFFFFFFFF\r\n", "5;a\u0000\r\n",
            "0\r\nX: 1\n\r\n", "0\r\n folded: x\r\n\r\n", "0\r\n: x\r\n\r\n", "0\r\nX : 1\r\n\r\n", "0\r\n\rx",
            "0\r\nX: a\u0001\r\n\r\n",
    })
    void rejectsMalformedChunkedFraming(String input) {
        String outcome = everySplit(BodyFramer.Mode.CHUNKED, -1, input);
        assertThat(outcome).contains("complete=false").doesNotContain("error=null");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0;a=\"x\r\n\r\n", "0;a=\"x\r\n", "5;a=\"x\\\r\nhello\r\n0\r\n\r\n", "0;a=\"x\\\"\r\n\r\n",
            "0;\r\n\r\n", "0;=v\r\n\r\n", "0;a=\r\n\r\n", "0;a b\r\n\r\n", "0;a=b c\r\n\r\n",
            "0;a=\"x\"y\r\n\r\n", "0;a=(x)\r\n\r\n", "0;a=\"\u0001\"\r\n\r\n", "0;a=\"x\\\u0001\"\r\n\r\n",
            "0;a\u007f\r\n\r\n", "0;a==b\r\n\r\n",
    })
    void rejectsChunkExtensionsOutsideTheGrammar(String input) {
        String outcome = everySplit(BodyFramer.Mode.CHUNKED, -1, input);
        assertThat(outcome).contains("complete=false").contains("error=");
        assertThat(outcome).doesNotContain("error=null");
    }

    @Test
    void unterminatedQuotedExtensionIsNamedAsSuch() {
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, "0;a=\"x\r\n\r\n"))
                .isEqualTo("body=6 complete=false error=unterminated quoted string in a chunk extension");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0;a\r\n\r\n", "0;a=b\r\n\r\n", "0; a = b ;c\r\n\r\n",
            "0;a=\"\"\r\n\r\n", "0;a=\"x y;z=\\\"q\\\\\"\r\n\r\n", "0;a=\"\u00e9\\\u00ff\"\r\n\r\n",
            "0;a=\"x\";b\t=\tc\r\n\r\n", "0;a=\"x\"\t\r\n\r\n", "0;!#$%&'*+-.^_`|~=!#$%&'*+-.^_`|~\r\n\r\n",
    })
    void acceptsChunkExtensionsOfTheGrammar(String input) {
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, input + "next"))
                .isEqualTo("body=" + input.length() + " complete=true error=null");
    }

    @Test
    void chunkSizeUpTo2Pow62IsAccepted() {
        String size = Long.toHexString(1L << 62);
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, size + "\r\nabc"))
                .isEqualTo("body=" + (size.length() + 5) + " complete=false error=null");
        assertThat(everySplit(BodyFramer.Mode.CHUNKED, -1, "000000000000000000000001\r\nx\r\n0\r\n\r\n"))
                .endsWith("complete=true error=null");
    }

    @Test
    void overlongChunkLineIsAnError() {
        String outcome = frame(BodyFramer.Mode.CHUNKED, -1, HeadFixtures.bytes("1;" + "x".repeat(BodyFramer.MAX_CHUNK_LINE)));
        assertThat(outcome).contains("error=chunk size line too long");
    }

    @Test
    void contentLengthCountsExactly() {
        assertThat(everySplit(BodyFramer.Mode.LENGTH, 5, "helloGET")).isEqualTo("body=5 complete=true error=null");
        assertThat(everySplit(BodyFramer.Mode.LENGTH, 10, "hello")).isEqualTo("body=5 complete=false error=null");
    }

    @Test
    void contentLengthLargerThanAnInt() {
        BodyFramer framer = new BodyFramer();
        framer.reset(BodyFramer.Mode.LENGTH, 999_999_999_999_999_999L);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[4096]);
        try {
            assertThat(framer.scan(buf)).isEqualTo(4096);
            assertThat(framer.isComplete()).isFalse();
            assertThat(framer.remaining()).isEqualTo(999_999_999_999_999_999L - 4096);
        } finally {
            buf.release();
        }
    }

    @Test
    void noneCompletesImmediatelyAndUntilCloseNever() {
        assertThat(everySplit(BodyFramer.Mode.NONE, 0, "abc")).isEqualTo("body=0 complete=true error=null");
        assertThat(everySplit(BodyFramer.Mode.LENGTH, 0, "abc")).isEqualTo("body=0 complete=true error=null");
        assertThat(everySplit(BodyFramer.Mode.UNTIL_CLOSE, -1, "abc")).isEqualTo("body=3 complete=false error=null");
    }
}
