package dev.wakegate.relay;

import dev.wakegate.testing.LoopbackDns;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolvers ask the name servers the property names: in tests, the loopback DNS server only. */
class DnsResolversTest {
    private static EventLoopGroup group;
    private static DnsAddressResolverGroup resolvers;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resolvers = DnsResolvers.create(NioDatagramChannel.class, Duration.ofSeconds(5));
    }

    @AfterAll
    static void tearDown() {
        resolvers.close();
        group.shutdownGracefully().syncUninterruptibly();
    }

    @Test
    void testsResolveThroughTheLoopbackServer() {
        assertThat(System.getProperty(DnsResolvers.SERVERS_PROPERTY)).startsWith("127.0.0.1:");
    }

    @Test
    void registeredNameResolvesToItsLoopbackAddress() {
        LoopbackDns.register("upstream.wakegate.test", "127.0.0.7");
        Future<InetSocketAddress> f = resolver().resolve(InetSocketAddress.createUnresolved("upstream.wakegate.test", 80));
        assertThat(f.awaitUninterruptibly(5_000)).isTrue();
        assertThat(f.getNow().getAddress().getHostAddress()).isEqualTo("127.0.0.7");
    }

    @Test
    void unknownNameFailsAtOnceWithoutWaitingForATimeout() {
        long start = System.nanoTime();
        Future<InetSocketAddress> f = resolver().resolve(InetSocketAddress.createUnresolved("no-such-service.invalid", 80));
        assertThat(f.awaitUninterruptibly(5_000)).isTrue();
        assertThat(f.cause()).isInstanceOf(UnknownHostException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    private static AddressResolver<InetSocketAddress> resolver() {
        return resolvers.getResolver(group.next());
    }
}
