package dev.wakegate.config;

/** Size limits of the data path ({@code limits:} in YAML). */
public record Limits(
        int maxRequestLine,     // longer request line: 414
        int maxHeadSize,        // larger head (request line + headers): 431
        int maxHeaders,         // more header fields: 431
        int parkBufferBytes,    // bytes a parked request may buffer before reads pause
        int maxParked,          // parked connections beyond this get 503
        long maxBody) {         // larger request body: 413; 0: no limit

    public static final Limits DEFAULTS = new Limits(8192, 32768, 100, 65536, 10_000, 0);

    /** Without a body limit. */
    public Limits(int maxRequestLine, int maxHeadSize, int maxHeaders, int parkBufferBytes, int maxParked) {
        this(maxRequestLine, maxHeadSize, maxHeaders, parkBufferBytes, maxParked, 0);
    }

    /** The same limits with {@code maxBody} (0: none). */
    public Limits withMaxBody(long bytes) {
        return new Limits(maxRequestLine, maxHeadSize, maxHeaders, parkBufferBytes, maxParked, bytes);
    }
}
