package dev.wakegate.config;

/**
 * A {@code HOST:PORT} pair as written in config; the host is resolved later, off the event loop.
 * Port 0 (a listener on any free port) can be built in code, e.g. by tests, but not written in config.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces).
     *
     * @throws IllegalArgumentException with a reason fit for a config error
     */
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected HOST:PORT, got nothing");
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT, port of '" + s + "' is not a number");
        }
        if (port == 0) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        return new HostPort(host, port);
    }

    /** True when {@code text} looks like an address rather than a container name. */
    public static boolean looksLikeAddress(String text) {
        return text != null && text.indexOf(':') > 0;
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
