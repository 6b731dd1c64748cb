package dev.wakegate.net;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IP address as 128 bits ({@code hi}, {@code lo}); an IPv4 address is held as its IPv4-mapped
 * IPv6 form ({@code ::ffff:a.b.c.d}), so one CIDR list covers both families. Mutable and reused:
 * the data path parses X-Forwarded-For entries into one instance per connection, allocating
 * nothing. Not thread-safe.
 */
public final class IpAddress {
    private static final int[] NO_GROUPS = new int[0];
    private static final long V4_MAPPED_LO_PREFIX = 0x0000_ffff_0000_0000L;

    // scratch of the IPv6 parser, made on the first IPv6 address: a client connection holds one or
    // two of these objects (its ClientAddress), most of them never parse one
    private int[] groups = NO_GROUPS;
    long hi;
    long lo;
    boolean v4;

    /** The address held now, as an {@link InetAddress} would have it. */
    public void set(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            setV4(((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL));
            return;
        }
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (b[i] & 0xffL);
            l = (l << 8) | (b[i + 8] & 0xffL);
        }
        hi = h;
        lo = l;
        v4 = false;
    }

    private void setV4(long v) {
        hi = 0;
        lo = V4_MAPPED_LO_PREFIX | v;
        v4 = true;
    }

    /** Copies {@code other}. */
    public void set(IpAddress other) {
        hi = other.hi;
        lo = other.lo;
        v4 = other.v4;
    }

    public boolean isLoopback() {
        return v4 ? (lo & 0xff00_0000L) == 0x7f00_0000L : hi == 0 && lo == 1;
    }

    /** Parses the text at {@code [start, end)} of {@code s}; false (this unchanged) when it is no address. */
    public boolean parse(CharSequence s, int start, int end) {
        return parse(s, TEXT, start, end);
    }

    /** Parses the ASCII bytes at {@code [start, end)} of {@code b}; false (this unchanged) when they are no address. */
    public boolean parse(ByteBuf b, int start, int end) {
        return parse(b, BYTES, start, end);
    }

    private <T> boolean parse(T source, Chars<T> chars, int start, int end) {
        if (end - start < 2 || end - start > 45) {
            return false;
        }
        boolean colon = false;
        for (int i = start; i < end; i++) {
            if (chars.at(source, i) == ':') {
                colon = true;
                break;
            }
        }
        if (!colon) {
            long v = parseV4(source, chars, start, end);
            if (v < 0) {
                return false;
            }
            setV4(v);
            return true;
        }
        return parseV6(source, chars, start, end);
    }

    /** How the parser reads the character at an index of its source: text or ASCII bytes, one code path for both. */
    @FunctionalInterface
    private interface Chars<T> {
        char at(T source, int index);
    }

    private static final Chars<CharSequence> TEXT = CharSequence::charAt;
    private static final Chars<ByteBuf> BYTES = (b, i) -> (char) (b.getByte(i) & 0xff);

    /** Dotted quad to its 32 bits, or -1. */
    private static <T> long parseV4(T source, Chars<T> chars, int start, int end) {
        long v = 0;
        int parts = 0;
        int i = start;
        while (parts < 4) {
            int n = 0;
            int digits = 0;
            while (i < end && chars.at(source, i) >= '0' && chars.at(source, i) <= '9') {
                n = n * 10 + (chars.at(source, i) - '0');
                digits++;
                i++;
                if (digits > 3) {
                    return -1;
                }
            }
            if (digits == 0 || n > 255 || (digits > 1 && chars.at(source, i - digits) == '0')) {
                return -1;
            }
            v = (v << 8) | n;
            parts++;
            if (parts < 4) {
                if (i >= end || chars.at(source, i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == end ? v : -1;
    }

    private <T> boolean parseV6(T source, Chars<T> chars, int start, int end) {
        int[] g = groups.length == 8 ? groups : (groups = new int[8]);
        int n = 0;               // groups read
        int gapAt = -1;          // groups before "::"
        int i = start;
        if (chars.at(source, i) == ':') {
            if (chars.at(source, i + 1) != ':') {
                return false;
            }
            gapAt = 0;
            i += 2;
        }
        while (i < end) {
            int digits = 0;
            int v = 0;
            int groupStart = i;
            while (i < end && digits <= 4) {
                int d = Character.digit(chars.at(source, i), 16);
                if (d < 0) {
                    break;
                }
                v = (v << 4) | d;
                digits++;
                i++;
            }
            if (i < end && chars.at(source, i) == '.') {
                long v4bits = parseV4(source, chars, groupStart, end); // an embedded IPv4 address ends the text
                if (v4bits < 0 || n > 6) {
                    return false;
                }
                g[n++] = (int) (v4bits >>> 16);
                g[n++] = (int) (v4bits & 0xffff);
                i = end;
                break;
            }
            if (digits == 0 || digits > 4 || n == 8) {
                return false;
            }
            g[n++] = v;
            if (i == end) {
                break;
            }
            if (chars.at(source, i) != ':') {
                return false;
            }
            i++;
            if (i < end && chars.at(source, i) == ':') {
                if (gapAt >= 0) {
                    return false;
                }
                gapAt = n;
                i++;
            } else if (i == end) {
                return false; // a single trailing ':'
            }
        }
        if (gapAt < 0 ? n != 8 : n > 7) {
            return false;
        }
        if (gapAt >= 0) {
            int after = n - gapAt;
            System.arraycopy(g, gapAt, g, 8 - after, after);
            for (int k = gapAt; k < 8 - after; k++) {
                g[k] = 0;
            }
        }
        long h = 0;
        long l = 0;
        for (int k = 0; k < 4; k++) {
            h = (h << 16) | g[k];
            l = (l << 16) | g[k + 4];
        }
        hi = h;
        lo = l;
        v4 = h == 0 && (l >>> 32) == 0xffffL; // ::ffff:a.b.c.d is the IPv4 address
        return true;
    }

    private static long group(long h, long l, int index) {
        return index < 4 ? (l >>> (16 * index)) & 0xffff : (h >>> (16 * (index - 4))) & 0xffff;
    }

    /** As a JDK address (allocates: for the rare admin request). */
    public InetAddress toInetAddress() {
        byte[] b;
        if (v4) {
            b = new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        } else {
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[i + 8] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: never
        }
    }

    @Override
    public String toString() {
        if (v4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 7; k >= 0; k--) {
            sb.append(Long.toHexString(group(hi, lo, k)));
            if (k > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
