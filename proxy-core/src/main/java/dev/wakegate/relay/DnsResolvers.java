package dev.wakegate.relay;

import io.netty.channel.socket.DatagramChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The asynchronous DNS resolvers of the data path and the readiness probes (Netty's, never the
 * JDK's blocking one on an event loop). Name servers come from /etc/resolv.conf (inside compose:
 * Docker's embedded DNS), unless the system property {@value #SERVERS_PROPERTY} lists
 * {@code host:port} pairs (comma-separated) to ask instead; the test suite points it at a DNS
 * server of its own on loopback, so no test ever sends a query off the machine.
 */
public final class DnsResolvers {
    public static final String SERVERS_PROPERTY = "wakegate.dns.servers";

    private DnsResolvers() {
    }

    public static DnsAddressResolverGroup create(Class<? extends DatagramChannel> datagramChannel, Duration queryTimeout) {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
                .datagramChannelType(datagramChannel)
                .queryTimeoutMillis(Math.max(1, queryTimeout.toMillis()));
        String servers = System.getProperty(SERVERS_PROPERTY);
        if (servers != null && !servers.isBlank()) {
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(parse(servers)));
        } else {
            builder.nameServerProvider(DnsServerAddressStreamProviders.platformDefault());
        }
        return new DnsAddressResolverGroup(builder);
    }

    static InetSocketAddress[] parse(String servers) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : servers.split(",")) {
            String t = s.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(SERVERS_PROPERTY + ": expected host:port, got '" + t + "'");
            }
            // literal addresses only: resolving a name server's own name would need a resolver
            out.add(new InetSocketAddress(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1))));
        }
        return out.toArray(new InetSocketAddress[0]);
    }
}
