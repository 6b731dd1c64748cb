package dev.wakegate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 upstream on 127.0.0.1 built on Netty's own codec (an independent implementation
 * from the proxy's parser), for integration tests and benchmarks. Every response carries
 * {@code X-Upstream: <name>}. Paths:
 * <ul>
 *   <li>{@code /ws}: WebSocket echo (text and binary frames);</li>
 *   <li>{@code ...?size=N}: N bytes of deterministic content ({@link #content}), with Content-Length,
 *       or chunked when the query has {@code chunked=1};</li>
 *   <li>{@code ...?delay=MS}: answer after MS milliseconds;</li>
 *   <li>{@code ...?status=S}: answer with status S (204/304 without a body);</li>
 *   <li>{@code ...?close=1}: an HTTP/1.0-style body delimited by closing the connection;</li>
 *   <li>{@code ...?dropOnReuse=1}: when it is not the connection's first request, close without answering
 *       (a keep-alive connection the upstream dropped just as it was reused);</li>
 *   <li>anything else: echo of the request body, with {@code X-Body-Sha256}, {@code X-Body-Length}
 *       and {@code X-Method}.</li>
 * </ul>
 * It records every request's head ({@link #requests()}) and counts the raw bytes it accepted and
 * the connections it saw, so tests can prove that nothing reached it.
 */
public final class HttpTestServer implements AutoCloseable {
    /** A request as the upstream saw it. */
    public record Seen(String method, String uri, HttpHeaders headers, int bodyLength, String bodySha256) {
    }

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();

    public HttpTestServer(String name) {
        this.name = name;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline()
                                .addLast("count", new ByteCounter(bytesIn))
                                .addLast("codec", new HttpServerCodec())
                                .addLast("continue", new HttpServerExpectContinueHandler())
                                .addLast("aggregate", new HttpObjectAggregator(64 * 1024 * 1024))
                                .addLast("ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").maxFramePayloadLength(16 * 1024 * 1024).build()))
                                .addLast("ws-echo", new WebSocketEcho())
                                .addLast("app", new App());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Raw bytes accepted on every connection so far. */
    public long bytesReceived() {
        return bytesIn.get();
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    public List<Seen> requests() {
        return requests;
    }

    /** The deterministic content of {@code ?size=N}: byte i is {@code (i * 31 + 7) & 0xff}. */
    public static byte[] content(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts raw bytes before any decoding. */
    static final class ByteCounter extends ChannelInboundHandlerAdapter {
        private final AtomicLong counter;

        ByteCounter(AtomicLong counter) {
            this.counter = counter;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                counter.addAndGet(b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class WebSocketEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame t) {
                ctx.writeAndFlush(new TextWebSocketFrame("echo:" + t.text()));
            } else if (frame instanceof BinaryWebSocketFrame b) {
                ctx.writeAndFlush(new BinaryWebSocketFrame(b.content().retain()));
            }
        }
    }

    private final class App extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int served;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            byte[] body = ByteBufUtil.getBytes(req.content());
            requests.add(new Seen(req.method().name(), req.uri(), req.headers().copy(), body.length, sha256(body)));
            Map<String, List<String>> q = new QueryStringDecoder(req.uri()).parameters();
            if (served++ > 0 && q.containsKey("dropOnReuse")) {
                ctx.close();
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            long delay = q.containsKey("delay") ? Long.parseLong(q.get("delay").get(0)) : 0;
            Runnable answer = () -> answer(ctx, req.method(), q, body, keepAlive);
            if (delay > 0) {
                ctx.executor().schedule(answer, delay, TimeUnit.MILLISECONDS);
            } else {
                answer.run();
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpMethod method, Map<String, List<String>> q, byte[] body,
                            boolean keepAlive) {
            if (q.containsKey("status")) {
                int s = Integer.parseInt(q.get("status").get(0));
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(s));
                r.headers().set("X-Upstream", name);
                if (s != 204 && s != 304) {
                    HttpUtil.setContentLength(r, 0);
                }
                write(ctx, r, keepAlive);
                return;
            }
            if (q.containsKey("size")) {
                byte[] data = content(Integer.parseInt(q.get("size").get(0)));
                if (q.containsKey("close")) {
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set("X-Upstream", name).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.write(r);
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(data)));
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (q.containsKey("chunked")) {
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set("X-Upstream", name);
                    HttpUtil.setTransferEncodingChunked(r, true);
                    if (!keepAlive) {
                        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    }
                    ctx.write(r);
                    int piece = 16 * 1024 + 3;
                    for (int off = 0; off < data.length && method != HttpMethod.HEAD; off += piece) {
                        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(data, off, Math.min(piece, data.length - off))));
                    }
                    var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    if (!keepAlive) {
                        f.addListener(ChannelFutureListener.CLOSE);
                    }
                    return;
                }
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(data));
                r.headers().set("X-Upstream", name).set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                HttpUtil.setContentLength(r, data.length);
                write(ctx, r, keepAlive);
                return;
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set("X-Upstream", name)
                    .set("X-Method", method.name())
                    .set("X-Body-Length", body.length)
                    .set("X-Body-Sha256", sha256(body))
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(r, body.length);
            write(ctx, r, keepAlive);
        }

        private void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(r);
            }
        }
    }

    /** Bytes of an ASCII string, for building raw requests. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
