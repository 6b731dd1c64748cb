package dev.wakegate.relay;

import dev.wakegate.http1.RequestHead;
import dev.wakegate.net.CidrSet;
import dev.wakegate.net.IpAddress;
import dev.wakegate.route.Route;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Who a client connection's requests come from. The peer is the socket's, or the one a PROXY
 * protocol header names; each request's client is the peer, unless the peer is a trusted proxy
 * ({@code trusted_proxies}): then the right-most address of X-Forwarded-For that is not a trusted
 * proxy. The access log, the X-Forwarded-For sent on, a route's allow/deny lists and the admin
 * rule all read the client from here. One per connection, owned by its {@link HttpFrontHandler};
 * event loop only.
 */
final class ClientAddress {
    private String peerIp = "unknown";
    private @Nullable SocketAddress peerAddress;
    private final IpAddress peer = new IpAddress();
    private boolean peerKnown;
    private String clientIp = "unknown";
    // the request's client: the peer itself, or the X-Forwarded-For entry held in `forwarded`, which
    // only a connection from a trusted proxy makes (8,000 idle connections: 0.6 MB less than two
    // addresses of their own each)
    private IpAddress client = peer;
    private @Nullable IpAddress forwarded;
    private int forwardedCutField = -1;     // the X-Forwarded-For field holding the client's entry, or -1
    private int forwardedCutAt;             // where that entry starts, from the head's first byte

    /** The connection is up: its socket's peer is the peer, unless a PROXY header named one first. */
    void connected(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null && !peerKnown) {
            peerIp = inet.getAddress().getHostAddress();
            peer.set(inet.getAddress());
            peerKnown = true;
        }
        if (peerAddress == null) {
            peerAddress = remote;
        }
        clientIp = peerIp;
    }

    /**
     * A PROXY protocol header named the client: it is the peer from now on. A header that is no
     * address (LOCAL, or unknown) keeps the socket's peer.
     */
    void proxied(ProxyProtocol.Source source) {
        String a = source.address();
        if (a != null && peer.parse(a, 0, a.length())) { // a peer that is no address stays as it was
            peerKnown = true;
            peerIp = a;
            clientIp = a;
            peerAddress = new InetSocketAddress(peer.toInetAddress(), source.port());
        }
    }

    /**
     * Finds the client of the request whose head starts at {@code base} in {@code buf}: the peer,
     * unless the peer is in {@code trusted}; then the right-most address of X-Forwarded-For that is
     * not (walking right to left; an entry that is no address ends the walk at the last trusted
     * hop). A header from an untrusted peer is never read. Allocates only the client's text, and
     * only when it comes from the header (and, once per connection, the address that holds it).
     */
    void resolve(RequestHead head, ByteBuf buf, int base, CidrSet trusted) {
        clientIp = peerIp;
        client = peer;
        forwardedCutField = -1;
        if (!peerKnown || trusted.isEmpty() || head.forwardedForLast() < 0 || !trusted.contains(peer)) {
            return;
        }
        for (int f = head.forwardedForLast(); f >= head.forwardedForFirst(); f--) {
            if (!HeadRewriter.isForwardedFor(buf, base + head.nameStart(f), head.nameEnd(f) - head.nameStart(f))) {
                continue;
            }
            int vs = base + head.valueStart(f);
            int end = base + head.valueEnd(f);
            while (end > vs) {
                int comma = end - 1;
                while (comma >= vs && buf.getByte(comma) != ',') {
                    comma--;
                }
                int s = comma + 1;
                int e = end;
                while (s < e && (buf.getByte(s) == ' ' || buf.getByte(s) == '\t')) {
                    s++;
                }
                while (e > s && (buf.getByte(e - 1) == ' ' || buf.getByte(e - 1) == '\t')) {
                    e--;
                }
                if (s < e) {
                    IpAddress entry = forwarded != null ? forwarded : (forwarded = new IpAddress());
                    if (!entry.parse(buf, s, e)) {
                        return; // not an address (the entry kept as it was): the last trusted hop is the client
                    }
                    client = entry;
                    clientIp = buf.toString(s, e - s, StandardCharsets.US_ASCII);
                    forwardedCutField = f;
                    forwardedCutAt = s - base;
                    if (!trusted.contains(client)) {
                        return;
                    }
                }
                end = comma;
            }
        }
    }

    /** The current request's client as text (the access log, X-Forwarded-For). */
    String ip() {
        return clientIp;
    }

    /** Whether {@code route}'s allow/deny lists let the current request's client in (an unknown peer never). */
    boolean admittedBy(Route route) {
        return peerKnown && route.admits(client);
    }

    /** The X-Forwarded-For field whose entry is the client (the rewrite cuts the list there), or -1. */
    int forwardedCutField() {
        return forwardedCutField;
    }

    /** Where, from the head's first byte, that entry starts. */
    int forwardedCutAt() {
        return forwardedCutAt;
    }

    /** The request's client as a socket address (the admin rule); the peer's own when it is the client (null when the channel had none). */
    @Nullable SocketAddress socketAddress() {
        if (forwardedCutField < 0) {
            return peerAddress;
        }
        return new InetSocketAddress(client.toInetAddress(), 0);
    }
}
