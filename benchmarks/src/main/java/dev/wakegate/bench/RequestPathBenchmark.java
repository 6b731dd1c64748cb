package dev.wakegate.bench;

import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.AccessLogSettings;
import dev.wakegate.config.AccessLogSettings.Format;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.NoWake;
import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.relay.FrontServer;
import dev.wakegate.relay.ProxyMetrics;
import dev.wakegate.route.NoWakeRule;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole per-request path in process, on EmbeddedChannels: a keep-alive GET head arrives on the
 * client channel, is parsed, routed (1 or 1,000 routes), rewritten and written to a pooled upstream
 * channel; the upstream's response is parsed, framed and written back to the client, and the
 * upstream connection returns to the pool. The baseline does the same exchange with Netty's own
 * codec (HttpRequestDecoder + HttpObjectAggregator in, HttpRequestEncoder out, and the mirror for
 * the response), plus the same trie lookup. {@code wakegateAccessLog} is {@code wakegate} with the
 * access log on (combined, to /dev/null: the writer thread formats and writes every line, and the
 * benchmark thread, the event loop, pays only for handing each line over).
 *
 * <pre>
 * mvn -o -q -B package -pl benchmarks -am -DskipTests
 * java -jar benchmarks/target/benchmarks.jar RequestPathBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Xmx512m"})
@Warmup(iterations = 10, time = 1) // long: on a loaded 2-core machine C2 needs a while
@Measurement(iterations = 5, time = 1)
public class RequestPathBenchmark {
    private static final String REQUEST = "GET /api/items/42?expand=true HTTP/1.1\r\n"
            + "Host: shop.example.test\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36\r\n"
            + "Accept: application/json\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n"
            + "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 27\r\n"
            + "Cache-Control: no-cache\r\n"
            + "\r\n"
            + "{\"id\":42,\"name\":\"a thing\"}\n";

    @Param({"1", "1000"})
    public int routes;

    private RouteTrie<Route> trie;
    private EmbeddedChannel front;
    private EmbeddedChannel upstream;
    private EmbeddedChannel frontLogged;
    private EmbeddedChannel upstreamLogged;
    private AccessLog accessLog;
    private EmbeddedChannel nettyIn;
    private EmbeddedChannel nettyOut;
    private ByteBuf request;
    private ByteBuf response;

    @Setup(Level.Trial)
    public void setUp() {
        RouteTrie.Builder<Route> b = RouteTrie.builder();
        HostPort up = new HostPort("127.0.0.1", 8080);
        for (int i = 0; i < routes - 1; i++) {
            String path = "/svc" + i + "/v" + (i % 7);
            b.add(path, new Route(path, List.of("c" + i), up, true));
        }
        // as every config has it unless it says otherwise: the built-in no_wake list (a browser's
        // User-Agent, as here, is scanned in full and matches nothing)
        b.add("/api", new Route("/api", List.of("app"), up, true, List.of(), null, new NoWakeRule(NoWake.DEFAULTS)));
        trie = b.build();

        front = new EmbeddedChannel(FrontServer.detachedHttpHandler(trie, ContainerGate.ALWAYS_READY, LocalEndpoints.NONE,
                ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS, (address, init) -> {
                    upstream = new EmbeddedChannel(init);
                    return upstream.newSucceededFuture();
                }));
        front.config().setOption(ChannelOption.AUTO_READ, false);
        front.config().setAllocator(PooledByteBufAllocator.DEFAULT);

        nettyIn = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 20), new HttpResponseEncoder());
        nettyOut = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20), new HttpRequestEncoder());

        request = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(REQUEST.getBytes(StandardCharsets.US_ASCII));
        response = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(RESPONSE.getBytes(StandardCharsets.US_ASCII));
        wakegate(null); // opens the pooled upstream connection

        try {
            accessLog = AccessLog.open(new AccessLogSettings(Optional.of(Path.of("/dev/null")), Format.COMBINED));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        frontLogged = new EmbeddedChannel(FrontServer.detachedHttpHandler(trie, ContainerGate.ALWAYS_READY,
                LocalEndpoints.NONE, ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS, (address, init) -> {
                    upstreamLogged = new EmbeddedChannel(init);
                    return upstreamLogged.newSucceededFuture();
                }, accessLog));
        frontLogged.config().setOption(ChannelOption.AUTO_READ, false);
        frontLogged.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        wakegateAccessLog(null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        front.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
        frontLogged.finishAndReleaseAll();
        upstreamLogged.finishAndReleaseAll();
        System.out.printf("%naccess log: %d lines written, %d dropped%n", accessLog.written(), accessLog.dropped());
        accessLog.close();
        nettyIn.finishAndReleaseAll();
        nettyOut.finishAndReleaseAll();
        request.release();
        response.release();
    }

    @Benchmark
    public long wakegate(Blackhole bh) {
        front.writeInbound(request.retainedDuplicate());
        long n = drain(upstream);
        upstream.writeInbound(response.retainedDuplicate());
        return n + drain(front);
    }

    @Benchmark
    public long wakegateAccessLog(Blackhole bh) {
        frontLogged.writeInbound(request.retainedDuplicate());
        long n = drain(upstreamLogged);
        upstreamLogged.writeInbound(response.retainedDuplicate());
        return n + drain(frontLogged);
    }

    @Benchmark
    public long nettyCodecBaseline() {
        nettyIn.writeInbound(request.retainedDuplicate());
        FullHttpRequest req = nettyIn.readInbound();
        Route r = trie.find(new QueryStringDecoder(req.uri()).path());
        req.headers().remove("Connection").add("X-Forwarded-For", "127.0.0.1");
        nettyOut.writeOutbound(req);
        long n = drain(nettyOut);
        nettyOut.writeInbound(response.retainedDuplicate());
        FullHttpResponse resp = nettyOut.readInbound();
        nettyIn.writeOutbound(resp);
        return n + drain(nettyIn) + r.path().length();
    }

    private static long drain(EmbeddedChannel ch) {
        long n = 0;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            n += b.readableBytes();
            b.release();
        }
        return n;
    }
}
