package dev.wakegate.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A frozen list of CIDR blocks ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}), matched
 * against an {@link IpAddress} by masks prepared when it was made: a match allocates nothing. IPv4
 * blocks match IPv4 addresses (and their IPv4-mapped IPv6 form). Immutable, thread-safe.
 */
public final class CidrSet {
    public static final CidrSet EMPTY = new CidrSet(List.of(), new long[0], new long[0], new long[0], new long[0]);

    private final List<String> blocks;
    private final long[] hi;
    private final long[] lo;
    private final long[] maskHi;
    private final long[] maskLo;

    private CidrSet(List<String> blocks, long[] hi, long[] lo, long[] maskHi, long[] maskLo) {
        this.blocks = blocks;
        this.hi = hi;
        this.lo = lo;
        this.maskHi = maskHi;
        this.maskLo = maskLo;
    }

    /**
     * Parses each block; a block without {@code /n} is one address.
     *
     * @throws IllegalArgumentException naming the index and the reason, for a config error
     */
    public static CidrSet parse(List<String> texts) {
        int n = texts.size();
        long[] hi = new long[n];
        long[] lo = new long[n];
        long[] mh = new long[n];
        long[] ml = new long[n];
        List<String> blocks = new ArrayList<>(n);
        IpAddress a = new IpAddress();
        for (int i = 0; i < n; i++) {
            String t = texts.get(i).trim();
            int slash = t.indexOf('/');
            String addr = slash < 0 ? t : t.substring(0, slash);
            if (!a.parse(addr, 0, addr.length())) {
                throw new IllegalArgumentException(i + ": '" + t + "' is not an IP address or CIDR block"
                        + " (like 10.0.0.0/8, 127.0.0.1 or fd00::/8)");
            }
            int max = a.v4 ? 32 : 128;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException(i + ": '" + t + "' has a prefix length outside 0 to " + max);
                }
            }
            int bits = a.v4 ? prefix + 96 : prefix; // IPv4 lives in the last 32 bits of the mapped form
            mh[i] = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
            ml[i] = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
            if (((a.hi & ~mh[i]) | (a.lo & ~ml[i])) != 0) {
                throw new IllegalArgumentException(i + ": '" + t + "' has bits set beyond its prefix (did you mean "
                        + masked(a, mh[i], ml[i]) + "/" + prefix + "?)");
            }
            hi[i] = a.hi;
            lo[i] = a.lo;
            blocks.add(t);
        }
        return new CidrSet(List.copyOf(blocks), hi, lo, mh, ml);
    }

    private static String masked(IpAddress a, long mh, long ml) {
        IpAddress m = new IpAddress();
        m.set(a);
        m.hi &= mh;
        m.lo &= ml;
        return m.toString();
    }

    public boolean isEmpty() {
        return hi.length == 0;
    }

    /** Whether {@code a} is in one of the blocks. */
    public boolean contains(IpAddress a) {
        for (int i = 0; i < hi.length; i++) {
            if ((a.hi & maskHi[i]) == hi[i] && (a.lo & maskLo[i]) == lo[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the blocks holds a loopback address (127.0.0.0/8 or ::1). */
    public boolean coversLoopback() {
        IpAddress probe = new IpAddress();
        return (probe.parse("127.0.0.1", 0, 9) && contains(probe)) || (probe.parse("::1", 0, 3) && contains(probe));
    }

    /** The blocks as given. */
    public List<String> blocks() {
        return blocks;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrSet c && c.blocks.equals(blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    @Override
    public String toString() {
        return blocks.toString();
    }
}
