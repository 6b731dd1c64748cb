package dev.wakegate.http1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Complete, small HTTP/1.1 responses for the answers the proxy gives itself (parse errors, 502,
 * 503 while a container starts, admin replies), encoded straight into one ByteBuf ready to write.
 * Problem bodies follow RFC 9457 ({@code application/problem+json}); JSON is written by Jackson so
 * any detail or member value is escaped correctly; the title is the status' reason phrase.
 *
 * <p>Extra headers are given as name/value pairs; a name or value with CR, LF or NUL is a
 * programming error (it would split the response) and throws {@link IllegalArgumentException}.
 */
public final class ProblemResponses {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final JsonFactory JSON = new JsonFactory();

    private ProblemResponses() {
    }

    /**
     * A problem+json response, {"type":"about:blank","title":..,"status":..,"detail":..} and any
     * {@code extraMembers} (e.g. "container"), titled with the status' reason phrase; a null
     * {@code detail} is left out.
     */
    public static ByteBuf problem(ByteBufAllocator alloc, int status, @Nullable String detail,
                                  Map<String, String> extraMembers, Connection connection, String... extraHeaderPairs) {
        return simple(alloc, status, PROBLEM_JSON, problemJson(status, detail, extraMembers), connection, extraHeaderPairs);
    }

    /**
     * The problem+json document alone, titled with the status' reason phrase, for callers that
     * frame the response themselves (the {@code /health/*} endpoints). Members keep the order of
     * {@code extraMembers}; a null {@code detail} is left out.
     */
    public static byte[] problemJson(int status, @Nullable String detail, Map<String, String> extraMembers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "about:blank");
            g.writeStringField("title", reason(status));
            g.writeNumberField("status", status);
            if (detail != null) {
                g.writeStringField("detail", detail);
            }
            for (Map.Entry<String, String> member : extraMembers.entrySet()) {
                g.writeStringField(member.getKey(), member.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    /**
     * A response with the given body, Content-Type (none when null) and Content-Length, and
     * {@code Connection: close} when it closes.
     */
    public static ByteBuf simple(ByteBufAllocator alloc, int status, @Nullable String contentType, byte[] body,
                                 Connection connection, String... extraHeaderPairs) {
        if (extraHeaderPairs.length % 2 != 0) {
            throw new IllegalArgumentException("extra headers must be name/value pairs");
        }
        StringBuilder head = new StringBuilder(128);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        if (contentType != null) {
            header(head, "Content-Type", contentType);
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        if (connection.closes()) {
            head.append("Connection: close\r\n");
        }
        for (int i = 0; i < extraHeaderPairs.length; i += 2) {
            header(head, extraHeaderPairs[i], extraHeaderPairs[i + 1]);
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf buf = alloc.buffer(headBytes.length + body.length);
        buf.writeBytes(headBytes).writeBytes(body);
        return buf;
    }

    /**
     * The reason phrase for a status code, the words Netty's {@code HttpResponseStatus} uses
     * (RFC 7231's, as the proxy always sent), or "Client Error (499)" style text for unregistered
     * codes: a table of our own, so that the proxy ships without Netty's HTTP codec for these words.
     */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 102 -> "Processing";
            case 103 -> "Early Hints";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 207 -> "Multi-Status";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 305 -> "Use Proxy";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Entity";
            case 423 -> "Locked";
            case 424 -> "Failed Dependency";
            case 425 -> "Unordered Collection";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 506 -> "Variant Also Negotiates";
            case 507 -> "Insufficient Storage";
            case 510 -> "Not Extended";
            case 511 -> "Network Authentication Required";
            default -> (switch (status / 100) {
                case 1 -> "Informational";
                case 2 -> "Success";
                case 3 -> "Redirection";
                case 4 -> "Client Error";
                case 5 -> "Server Error";
                default -> "Unknown Status";
            }) + " (" + status + ")";
        };
    }

    private static void header(StringBuilder head, String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !Ascii.isTchar((byte) c)) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("invalid character in header " + name);
            }
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }
}
