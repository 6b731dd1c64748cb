package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutational fuzzing of {@link RequestHeadParser}: valid heads are mutated (bit flips, byte
 * inserts and deletes with CR/LF/NUL/SP/colon bias, duplicated lines, injected framing fields, huge
 * numbers, truncation, splicing) and each input is parsed whole and split at a random boundary.
 * No exception may escape, both feedings must agree, the result must be a head or an error status
 * the proxy knows, and every head we accept must also be accepted by Netty's decoder (checked on a
 * sample, because Netty is the slow side).
 */
class RequestHeadFuzzTest {
    private static final long SEED = Long.getLong("wakegate.fuzz.seed", 0x5eed_f00dL);
    private static final int INPUTS = Integer.getInteger("wakegate.fuzz.inputs", 200_000);
    private static final Set<Integer> STATUSES = Set.of(400, 414, 431, 501, 505);
    private static final byte[] INTERESTING = {'\r', '\n', 0, ' ', '\t', ':', ',', ';', '0', '9', 'a', 'A', '-', '/', '?',
            '#', 0x7F, (byte) 0x80, (byte) 0xFF, 0x0B, 0x0C};
    private static final String[] INJECTED = {
            "Content-Length: 5\r\n", "Content-Length: 0\r\n", "Content-Length: 18446744073709551616\r\n",
            "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n", "Host: b\r\n", "Connection: close, upgrade\r\n",
            "Upgrade: websocket\r\n", "Expect: 100-continue\r\n", " folded\r\n", "\tfolded\r\n", "X : y\r\n", "\r\n",
            "Content-Length: 99999999999999999999\r\n",
    };

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String head : DifferentialTest.corpus()) {
            byte[] bytes = HeadFixtures.bytes(head);
            if (NettyOracle.ours(bytes).startsWith("OK")) {
                seeds.add(bytes);
            }
        }
        seeds.add(HeadFixtures.bytes("POST /upload?x=1 HTTP/1.1\r\nHost: h:1\r\nContent-Length: 12\r\nAccept: */*\r\n\r\n"));
        seeds.add(HeadFixtures.bytes("PUT /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"));
        return seeds;
    }

    @Test
    void mutatedHeadsNeverThrowAndAgreeWholeVersusSplit() {
        Random random = new Random(SEED);
        List<byte[]> seeds = seeds();
        RequestHeadParser parser = Feeding.requestParser();
        RequestHead head = new RequestHead();
        int accepted = 0;
        int nettyChecked = 0;
        List<String> disagreements = new ArrayList<>();
        long started = System.nanoTime();
        long nettyNanos = 0;
        long mutateNanos = 0;
        // Reused buffers from an allocator without leak tracking: under paranoid detection every
        // access of a tracked buffer records a stack trace, which would dominate the run. The parser
        // itself allocates no buffers; these two are released below.
        UnpooledByteBufAllocator untracked = new UnpooledByteBufAllocator(true, true, false);
        ByteBuf heap = untracked.heapBuffer(1024);
        ByteBuf direct = untracked.directBuffer(1024);
        try {
        for (int n = 0; n < INPUTS; n++) {
            long m0 = System.nanoTime();
            byte[] input = mutate(random, seeds);
            mutateNanos += System.nanoTime() - m0;
            int cut = input.length == 0 ? 0 : random.nextInt(input.length + 1);
            String whole;
            String split;
            try {
                whole = parseWhole(parser, head, heap, input);
                split = parseSplit(parser, head, direct, input, cut);
            } catch (RuntimeException e) {
                throw new AssertionError("exception escaped for " + printable(input), e);
            }
            if (!whole.equals(split)) {
                throw new AssertionError("whole and split (at " + cut + ") differ for " + printable(input)
                        + "\n whole: " + whole + "\n split: " + split);
            }
            if (whole.startsWith("ERROR")) {
                int status = Integer.parseInt(whole.substring(6, 9));
                assertThat(STATUSES).as(whole).contains(status);
            } else if (whole.startsWith("OK")) {
                accepted++;
                if (nettyChecked < 2_000 || n % 50 == 0) {
                    nettyChecked++;
                    long t0 = System.nanoTime();
                    String netty = NettyOracle.decode(input);
                    nettyNanos += System.nanoTime() - t0;
                    if (!netty.equals(NettyOracle.ours(input))) {
                        disagreements.add(printable(input) + "\n  netty: " + netty + "\n  ours:  " + NettyOracle.ours(input));
                    }
                }
            }
        }
        } finally {
            heap.release();
            direct.release();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("fuzz: %d inputs (seed %d), %d accepted, %d checked against Netty (%d ms of it), generating %d ms, total %d ms%n",
                INPUTS, SEED, accepted, nettyChecked, nettyNanos / 1_000_000, mutateNanos / 1_000_000, millis);
        assertThat(disagreements).as("heads we accept that Netty rejects or reads differently").isEmpty();
        assertThat(accepted).as("the generator still produces valid heads").isGreaterThan(INPUTS / 50);
    }

    private static String parseWhole(RequestHeadParser parser, RequestHead head, ByteBuf buf, byte[] input) {
        parser.reset();
        buf.clear().writeBytes(input);
        return Feeding.describe(parser.parse(buf, head), head);
    }

    private static String parseSplit(RequestHeadParser parser, RequestHead head, ByteBuf buf, byte[] input, int cut) {
        parser.reset();
        buf.clear().writeBytes(input, 0, cut);
        int first = parser.parse(buf, head);
        if (first != RequestHead.NEED_MORE) {
            return Feeding.describe(first, head);
        }
        buf.writeBytes(input, cut, input.length - cut);
        return Feeding.describe(parser.parse(buf, head), head);
    }

    static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(seed.length + 64);
        out.writeBytes(seed);
        byte[] b = out.toByteArray();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            b = mutateOnce(random, b, seeds);
        }
        return b;
    }

    private static byte[] mutateOnce(Random random, byte[] b, List<byte[]> seeds) {
        int len = b.length;
        int at = len == 0 ? 0 : random.nextInt(len);
        switch (random.nextInt(10)) {
            case 0: { // flip a bit
                if (len == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << random.nextInt(8));
                return c;
            }
            case 1: // insert an interesting byte
                return insert(b, at, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
            case 2: { // delete a few bytes
                int n = Math.min(len - at, 1 + random.nextInt(3));
                return delete(b, at, n);
            }
            case 3: { // replace a byte with an interesting one
                if (len == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                return c;
            }
            case 4: { // duplicate a line
                int start = lineStart(b, at);
                int end = lineEnd(b, at);
                byte[] line = java.util.Arrays.copyOfRange(b, start, end);
                return insert(b, end, line);
            }
            case 5: { // inject a framing-relevant field after the request line
                int afterFirst = lineEnd(b, 0);
                return insert(b, afterFirst, INJECTED[random.nextInt(INJECTED.length)].getBytes(StandardCharsets.ISO_8859_1));
            }
            case 6: { // replace a digit run with a huge number
                for (int i = at; i < len; i++) {
                    if (b[i] >= '0' && b[i] <= '9') {
                        return insert(b, i, "9999999999999999999".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                return b;
            }
            case 7: // truncate
                return java.util.Arrays.copyOf(b, at);
            case 8: { // splice with another seed
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = random.nextInt(other.length);
                return insert(java.util.Arrays.copyOf(b, at), at, java.util.Arrays.copyOfRange(other, from, other.length));
            }
            default: { // a long run of one byte (limits)
                byte fill = random.nextBoolean() ? (byte) 'a' : INTERESTING[random.nextInt(INTERESTING.length)];
                byte[] run = new byte[random.nextInt(Feeding.MAX_HEAD_SIZE + 64) >> random.nextInt(6)];
                java.util.Arrays.fill(run, fill);
                return insert(b, at, run);
            }
        }
    }

    private static int lineStart(byte[] b, int at) {
        int i = Math.min(at, b.length);
        while (i > 0 && b[i - 1] != '\n') {
            i--;
        }
        return i;
    }

    private static int lineEnd(byte[] b, int at) {
        int i = at;
        while (i < b.length && b[i] != '\n') {
            i++;
        }
        return Math.min(b.length, i + 1);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] c = new byte[b.length - n];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + n, c, at, b.length - at - n);
        return c;
    }

    private static String printable(byte[] input) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : input) {
            int c = x & 0xFF;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append('"').toString();
    }
}
