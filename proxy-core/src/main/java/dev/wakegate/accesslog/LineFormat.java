package dev.wakegate.accesslog;

import dev.wakegate.config.AccessLogSettings.Format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Formats {@link AccessEntry}s into lines, on the writer thread only (it keeps per-second caches
 * of the time stamps). {@code combined} is nginx's
 * {@code $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"},
 * escaped as nginx escapes variables in a log (a {@code "}, a {@code \} and bytes below 0x20 or
 * above 0x7e as {@code \xHH}), {@code -} for an absent field; {@code $remote_user} is always
 * {@code -} (the proxy authenticates no user). {@code json} is one object per line with the fields
 * of docs/operating.md.
 */
final class LineFormat {
    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Format format;
    private final ZoneId zone;
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedTime = new byte[0]; // made at the first line: cachedSecond starts below any second

    LineFormat(Format format, ZoneId zone) {
        this.format = format;
        this.zone = zone;
    }

    Format format() {
        return format;
    }

    /** Appends {@code e} as one line, with its newline. */
    void append(AccessEntry e, LineBuffer out) {
        if (format == Format.COMBINED) {
            combined(e, out);
        } else {
            json(e, out);
        }
        out.put((byte) '\n');
    }

    // ---------------------------------------------------------------- combined

    private void combined(AccessEntry e, LineBuffer out) {
        out.ascii(e.remoteAddr).ascii(" - - [").put(time(e.epochMillis)).ascii("] \"");
        if (e.lineEnd == 0) {
            out.put((byte) '-');
        } else {
            escapedNginx(e.bytes, 0, e.lineEnd, out);
        }
        out.ascii("\" ").decimal(e.status).put((byte) ' ').decimal(e.bodyBytes).ascii(" \"");
        quotedOrDash(e, e.refStart, e.refEnd, out);
        out.ascii("\" \"");
        quotedOrDash(e, e.uaStart, e.uaEnd, out);
        out.put((byte) '"');
    }

    private static void quotedOrDash(AccessEntry e, int start, int end, LineBuffer out) {
        if (start < 0) {
            out.put((byte) '-');
        } else {
            escapedNginx(e.bytes, start, end, out);
        }
    }

    /** nginx's {@code ngx_http_log_escape}: {@code "}, {@code \}, controls and bytes above 0x7e as {@code \xHH}. */
    private static void escapedNginx(byte[] b, int start, int end, LineBuffer out) {
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                out.put((byte) '\\').put((byte) 'x').put(HEX[c >> 4]).put(HEX[c & 0xf]);
            } else {
                out.put((byte) c);
            }
        }
    }

    /** {@code 29/Nov/2026:12:42:32 +0000}, made once a second. */
    private byte[] time(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            cachedSecond = second;
            ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), zone);
            cachedTime = (format == Format.COMBINED ? TIME_LOCAL.format(t) : ISO_SECONDS.format(t))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return cachedTime;
    }

    // ---------------------------------------------------------------- json

    private void json(AccessEntry e, LineBuffer out) {
        // time in UTC with milliseconds: "2026-11-29T12:42:32.123Z"
        out.ascii("{\"time\":\"").put(time(e.epochMillis)).put((byte) '.');
        int millis = (int) Math.floorMod(e.epochMillis, 1000);
        out.put((byte) ('0' + millis / 100)).put((byte) ('0' + millis / 10 % 10)).put((byte) ('0' + millis % 10));
        out.ascii("Z\",\"remote_addr\":");
        jsonString(e.remoteAddr, out);
        out.ascii(",\"method\":");
        jsonString(e.method, out);
        out.ascii(",\"target\":");
        if (e.method == null) {
            out.ascii("null");
        } else {
            jsonBytes(e.bytes, e.targetStart, e.targetEnd, out);
        }
        out.ascii(",\"protocol\":");
        out.ascii(e.method == null ? "null" : e.http11 ? "\"HTTP/1.1\"" : "\"HTTP/1.0\"");
        out.ascii(",\"status\":").decimal(e.status);
        out.ascii(",\"bytes_sent\":").decimal(e.bytesSent);
        out.ascii(",\"body_bytes_sent\":").decimal(e.bodyBytes);
        out.ascii(",\"duration_ms\":");
        millis3(e.durationNanos, out);
        out.ascii(",\"host\":");
        jsonString(e.host, out);
        out.ascii(",\"route\":");
        jsonString(e.route, out);
        out.ascii(",\"upstream\":");
        jsonString(e.upstream, out);
        out.ascii(",\"user_agent\":");
        jsonField(e, e.uaStart, e.uaEnd, out);
        out.ascii(",\"referer\":");
        jsonField(e, e.refStart, e.refEnd, out);
        out.ascii(",\"cold_start_ms\":");
        if (e.coldStartNanos < 0) {
            out.ascii("null");
        } else {
            millis3(e.coldStartNanos, out);
        }
        out.ascii(",\"containers\":[");
        List<String> c = e.containers;
        for (int i = 0; i < c.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            jsonString(c.get(i), out);
        }
        out.ascii("]}");
    }

    /** Milliseconds with three decimals: {@code 12.345}. */
    private static void millis3(long nanos, LineBuffer out) {
        long micros = nanos / 1000;
        out.decimal(micros / 1000).put((byte) '.');
        int frac = (int) (micros % 1000);
        out.put((byte) ('0' + frac / 100)).put((byte) ('0' + frac / 10 % 10)).put((byte) ('0' + frac % 10));
    }

    private static void jsonField(AccessEntry e, int start, int end, LineBuffer out) {
        if (start < 0) {
            out.ascii("null");
        } else {
            jsonBytes(e.bytes, start, end, out);
        }
    }

    /** Head bytes as a JSON string: each byte is a character of ISO-8859-1 (what HTTP/1.1 field values are). */
    private static void jsonBytes(byte[] b, int start, int end, LineBuffer out) {
        out.put((byte) '"');
        for (int i = start; i < end; i++) {
            jsonChar(b[i] & 0xff, out);
        }
        out.put((byte) '"');
    }

    private static void jsonString(@Nullable String s, LineBuffer out) {
        if (s == null) {
            out.ascii("null");
            return;
        }
        out.put((byte) '"');
        for (int i = 0; i < s.length(); i++) {
            jsonChar(s.charAt(i), out);
        }
        out.put((byte) '"');
    }

    private static void jsonChar(int c, LineBuffer out) {
        if (c == '"' || c == '\\') {
            out.put((byte) '\\').put((byte) c);
        } else if (c >= 0x20 && c < 0x7f) {
            out.put((byte) c);
        } else {
            out.ascii("\\u").put(HEX_LOWER[(c >> 12) & 0xf]).put(HEX_LOWER[(c >> 8) & 0xf])
                    .put(HEX_LOWER[(c >> 4) & 0xf]).put(HEX_LOWER[c & 0xf]);
        }
    }
}
