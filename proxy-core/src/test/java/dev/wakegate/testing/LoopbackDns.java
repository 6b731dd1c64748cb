package dev.wakegate.testing;

import dev.wakegate.relay.DnsResolvers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS server on 127.0.0.1 for the test JVM, and the JUnit extension (auto-registered for every
 * test class) that points wakegate's resolvers at it through {@link DnsResolvers#SERVERS_PROPERTY}.
 * It answers A queries for names a test {@link #register registered} and NXDOMAIN for everything
 * else, at once: no test ever sends a DNS query off the machine, and an unresolvable name fails
 * fast instead of waiting for a real resolver's timeout.
 */
public final class LoopbackDns implements BeforeAllCallback {
    private static final Map<String, byte[]> RECORDS = new ConcurrentHashMap<>();
    private static volatile InetSocketAddress address;

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(DnsResolvers.SERVERS_PROPERTY, "127.0.0.1:" + start().getPort());
    }

    /** Makes {@code name} resolve to the IPv4 loopback address {@code ipv4} (e.g. "127.0.0.7"). */
    public static void register(String name, String ipv4) {
        String[] parts = ipv4.split("\\.");
        byte[] addr = new byte[4];
        for (int i = 0; i < 4; i++) {
            addr[i] = (byte) Integer.parseInt(parts[i]);
        }
        RECORDS.put(fqdn(name), addr);
    }

    public static synchronized InetSocketAddress start() {
        if (address != null) {
            return address;
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("loopback-dns", true), NioIoHandler.newFactory());
        Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel c) {
                        c.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        address = (InetSocketAddress) ch.localAddress();
        return address;
    }

    private static String fqdn(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private static final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question != null) {
                response.addRecord(DnsSection.QUESTION, question);
                byte[] addr = RECORDS.get(fqdn(question.name()));
                if (addr == null) {
                    response.setCode(DnsResponseCode.NXDOMAIN);
                } else if (question.type() == DnsRecordType.A) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
                            5, Unpooled.wrappedBuffer(addr)));
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
