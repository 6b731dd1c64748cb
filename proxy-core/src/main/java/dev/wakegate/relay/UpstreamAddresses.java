package dev.wakegate.relay;

import dev.wakegate.config.HostPort;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Socket addresses for upstreams without ever calling the JDK resolver (it blocks). */
final class UpstreamAddresses {
    private UpstreamAddresses() {
    }

    /**
     * An IP literal becomes a resolved address directly; a host name stays unresolved, for the
     * bootstrap's asynchronous (Netty DNS) resolver to resolve at connect time.
     */
    static InetSocketAddress of(HostPort hp) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(hp.host());
        if (literal != null) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(literal), hp.port());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // not for a 4- or 16-byte address
            }
        }
        return InetSocketAddress.createUnresolved(hp.host(), hp.port());
    }
}
