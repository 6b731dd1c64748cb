package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.util.function.BiFunction;

/**
 * Feeds heads to the parsers the way a cumulation buffer grows: whole, split at a boundary, or a
 * byte at a time, on heap and direct buffers. Outcomes are rendered as comparable strings.
 */
final class Feeding {
    static final int MAX_REQUEST_LINE = 256;
    static final int MAX_HEAD_SIZE = 1024;
    static final int MAX_HEADERS = 16;

    private Feeding() {
    }

    static RequestHeadParser requestParser() {
        return new RequestHeadParser(MAX_REQUEST_LINE, MAX_HEAD_SIZE, MAX_HEADERS);
    }

    /** Parses {@code input} fed in pieces ending at each of {@code cuts} (then the rest); returns the outcome. */
    static String parseRequest(RequestHeadParser parser, byte[] input, boolean direct, int... cuts) {
        RequestHead head = new RequestHead();
        parser.reset();
        return feed(input, direct, cuts, buf -> describe(parser.parse(buf, head), head));
    }

    static String parseResponse(ResponseHeadParser parser, byte[] input, boolean direct, int... cuts) {
        ResponseHead head = new ResponseHead();
        parser.reset();
        return feed(input, direct, cuts, buf -> describe(parser.parse(buf, head), head));
    }

    interface Step {
        String apply(ByteBuf buf);
    }

    private static String feed(byte[] input, boolean direct, int[] cuts, Step step) {
        ByteBuf buf = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(16) : Unpooled.buffer(16);
        try {
            int written = 0;
            String last = null;
            for (int cut : cuts) {
                buf.writeBytes(input, written, cut - written);
                written = cut;
                last = step.apply(buf);
                if (!last.startsWith("NEED_MORE")) {
                    // a final outcome must not change when more bytes arrive
                    buf.writeBytes(input, written, input.length - written);
                    String again = step.apply(buf);
                    if (!again.equals(last)) {
                        throw new AssertionError("outcome changed after more bytes: " + last + " -> " + again);
                    }
                    return last;
                }
            }
            buf.writeBytes(input, written, input.length - written);
            return step.apply(buf);
        } finally {
            buf.release();
        }
    }

    static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    static String describe(int result, RequestHead h) {
        if (result == RequestHead.NEED_MORE) {
            return "NEED_MORE";
        }
        if (result == RequestHead.ERROR) {
            return "ERROR " + h.errorStatus() + " " + h.errorReason();
        }
        StringBuilder sb = new StringBuilder();
        sb.append("OK len=").append(result).append(" headLength=").append(h.headLength())
                .append(" method=").append(h.method()).append(" uri=").append(h.uri()).append(" path=").append(h.path())
                .append(" http11=").append(h.isHttp11()).append(" host=").append(h.host())
                .append(" cl=").append(h.contentLength()).append(" chunked=").append(h.isChunked())
                .append(" keepAlive=").append(h.keepAlive()).append(" upgrade=").append(h.upgrade())
                .append(" expect100=").append(h.expectContinue()).append(" accept=").append(h.accept())
                .append(" auth=").append(h.authorization()).append(" fields=").append(h.headerCount());
        for (int i = 0; i < h.headerCount(); i++) {
            sb.append(" [").append(h.nameStart(i)).append(',').append(h.nameEnd(i)).append(',')
                    .append(h.valueStart(i)).append(',').append(h.valueEnd(i)).append(']');
        }
        return sb.toString();
    }

    static String describe(int result, ResponseHead h) {
        if (result == RequestHead.NEED_MORE) {
            return "NEED_MORE";
        }
        if (result == RequestHead.ERROR) {
            return "ERROR " + h.errorReason();
        }
        return "OK len=" + result + " status=" + h.status() + " http11=" + h.isHttp11() + " cl=" + h.contentLength()
                + " chunked=" + h.isChunked() + " keepAlive=" + h.keepAlive() + " fields=" + h.headerCount();
    }

    /** The outcome of {@code input} whole, after checking that every split and byte-at-a-time feeding agrees. */
    static String request(String input) {
        return request(HeadFixtures.bytes(input));
    }

    static String request(byte[] input) {
        return consistent(input, (bytes, direct) -> (cuts -> parseRequest(requestParser(), bytes, direct, cuts)));
    }

    static String response(String input) {
        byte[] bytes = HeadFixtures.bytes(input);
        return consistent(bytes, (b, direct) -> (cuts -> parseResponse(new ResponseHeadParser(MAX_HEAD_SIZE), b, direct, cuts)));
    }

    interface Run {
        String run(int... cuts);
    }

    private static String consistent(byte[] input, BiFunction<byte[], Boolean, Run> runner) {
        Run heap = runner.apply(input, false);
        Run direct = runner.apply(input, true);
        String whole = heap.run();
        check(whole, direct.run(), "direct buffer");
        check(whole, heap.run(everyByte(input.length)), "byte at a time");
        check(whole, direct.run(everyByte(input.length)), "byte at a time, direct");
        for (int cut = 1; cut < input.length; cut++) {
            check(whole, heap.run(cut), "split at " + cut);
        }
        return whole;
    }

    private static void check(String whole, String other, String how) {
        if (!whole.equals(other)) {
            throw new AssertionError("outcome differs when fed " + how + ":\n whole: " + whole + "\n other: " + other);
        }
    }
}
