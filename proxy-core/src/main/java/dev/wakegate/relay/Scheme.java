package dev.wakegate.relay;

import java.nio.charset.StandardCharsets;

/**
 * The listener a client connection came in on. It decides what {@code X-Forwarded-Proto} tells the
 * upstream, and over HTTPS the Host header must name the host the ClientHello named (else 421)
 * and HSTS may be added to responses.
 */
enum Scheme {
    HTTP("http"),
    HTTPS("https");

    /** The whole {@code X-Forwarded-Proto} header line HeadRewriter appends, CRLF included. */
    final byte[] forwardedProtoLine;

    Scheme(String proto) {
        this.forwardedProtoLine = ("X-Forwarded-Proto: " + proto + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
