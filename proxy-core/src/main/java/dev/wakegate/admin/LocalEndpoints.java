package dev.wakegate.admin;

import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Requests the proxy answers itself ({@code /health/*}), never forwarded. The front handler asks
 * {@link #handles} for each request head; a matching request's body is read and discarded, and
 * the response comes from {@link #handle}.
 */
public interface LocalEndpoints {

    boolean handles(String path);

    /**
     * @param authorization the request's Authorization header value, or null
     * @param remote        the client's address (loopback check for admin POSTs), or null when the channel has none
     */
    CompletableFuture<LocalResponse> handle(String method, String path, @Nullable String authorization, @Nullable SocketAddress remote);

    /**
     * A complete small response: status, content type, body bytes, and any extra header fields
     * (e.g. {@code Allow} on a 405, {@code WWW-Authenticate} on a 401, {@code Retry-After} on a 503).
     * The writer adds Content-Type and Content-Length itself, and omits the body for HEAD.
     */
    record LocalResponse(int status, String contentType, byte[] body, java.util.Map<String, String> headers) {
        public LocalResponse {
            headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
        }

        public LocalResponse(int status, String contentType, byte[] body) {
            this(status, contentType, body, java.util.Map.of());
        }
    }

    LocalEndpoints NONE = new LocalEndpoints() {
        @Override
        public boolean handles(String path) {
            return false;
        }

        @Override
        public CompletableFuture<LocalResponse> handle(String method, String path, @Nullable String authorization,
                                                       @Nullable SocketAddress remote) {
            throw new IllegalStateException("no local endpoints");
        }
    };
}
