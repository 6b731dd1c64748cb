package dev.wakegate.bench;

import dev.wakegate.http1.HeadFixtures;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.RequestHeadParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Decoding one typical browser request head ({@link HeadFixtures#CHROME_GET}, the bytes the parser
 * tests check): wakegate's {@link RequestHeadParser} on a pooled direct buffer (what a socket read
 * yields) and on a heap buffer, against Netty's {@link HttpRequestDecoder} in an EmbeddedChannel on
 * the same bytes as the baseline.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar HeadDecode -f 2 -wi 5 -i 5 -w 1 -r 1}
 *
 * <p>On a crowded machine wall-clock numbers mostly measure the scheduler; {@link #main} runs the same
 * three operations and reports thread CPU time per op instead:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.wakegate.bench.HeadDecodeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HeadDecodeBenchmark {
    private RequestHeadParser parser;
    private RequestHead head;
    private ByteBuf direct;
    private ByteBuf heap;
    private EmbeddedChannel netty;

    @Setup(Level.Trial)
    public void setUp() {
        parser = new RequestHeadParser(8192, 32768, 100);
        head = new RequestHead();
        direct = PooledByteBufAllocator.DEFAULT.directBuffer(HeadFixtures.CHROME_GET.length);
        direct.writeBytes(HeadFixtures.CHROME_GET);
        heap = Unpooled.wrappedBuffer(HeadFixtures.CHROME_GET);
        netty = new EmbeddedChannel(new HttpRequestDecoder());
        for (ByteBuf buf : new ByteBuf[] {direct, heap}) {
            parser.reset();
            if (parser.parse(buf, head) != HeadFixtures.CHROME_GET.length) {
                throw new IllegalStateException("fixture does not parse: " + head.errorReason());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        direct.release();
        heap.release();
        netty.finishAndReleaseAll();
    }

    @Benchmark
    public int wakegateDirect() {
        parser.reset();
        int n = parser.parse(direct, head);
        return n + head.path().length();
    }

    @Benchmark
    public int wakegateHeap() {
        parser.reset();
        int n = parser.parse(heap, head);
        return n + head.path().length();
    }

    @Benchmark
    public void nettyHttpRequestDecoder(Blackhole bh) {
        netty.writeInbound(direct.retainedDuplicate());
        Object msg;
        while ((msg = netty.readInbound()) != null) {
            if (msg instanceof HttpRequest request) {
                bh.consume(request.uri());
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /** Thread-CPU-time measurement of the same operations (see the class comment). */
    public static void main(String[] args) {
        HeadDecodeBenchmark b = new HeadDecodeBenchmark();
        b.setUp();
        try {
            int[] sink = new int[1];
            IntSupplier netty = () -> {
                b.netty.writeInbound(b.direct.retainedDuplicate());
                Object msg;
                int n = 0;
                while ((msg = b.netty.readInbound()) != null) {
                    n++;
                    ReferenceCountUtil.release(msg);
                }
                return n;
            };
            double direct = cpuNanosPerOp(b::wakegateDirect, sink);
            double heap = cpuNanosPerOp(b::wakegateHeap, sink);
            double nettyNs = cpuNanosPerOp(netty, sink);
            System.out.printf("CPU ns/op (median of 15 rounds): wakegateDirect %.1f, wakegateHeap %.1f, nettyHttpRequestDecoder %.1f;"
                    + " Netty/wakegate = %.1fx (direct), %.1fx (heap)  [sink %d]%n",
                    direct, heap, nettyNs, nettyNs / direct, nettyNs / heap, sink[0]);
        } finally {
            b.tearDown();
        }
    }

    private static double cpuNanosPerOp(IntSupplier op, int[] sink) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int ops = 200_000;
        for (int i = 0; i < 10 * ops; i++) {
            sink[0] += op.getAsInt();
        }
        double[] rounds = new double[15];
        for (int r = 0; r < rounds.length; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink[0] += op.getAsInt();
            }
            rounds[r] = (threads.getCurrentThreadCpuTime() - t0) / (double) ops;
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }
}
