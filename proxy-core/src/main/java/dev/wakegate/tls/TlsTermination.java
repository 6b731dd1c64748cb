package dev.wakegate.tls;

import dev.wakegate.config.TlsSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * TLS termination for the listeners of one proxy: the certificates of {@code tls:} loaded into a
 * {@link CertificateStore}, a {@link CertificateReloader} that keeps them current, and the handlers
 * a connection needs ({@link #addHttpsHandlers}, {@link #addTlsHandlers}). Built at start-up, off any event loop; a
 * certificate that cannot be served refuses the start with its file and the reason.
 *
 * <p>A config reload changes it in two steps: {@link #load} builds the store of a new certificate
 * list completely (or throws, and nothing changed), then {@link #use} swaps settings and store and
 * starts watching the new list's files. Connections read store and settings when they are accepted,
 * so new handshakes use the new certificates and open connections keep their session.
 */
public final class TlsTermination implements AutoCloseable {
    /** The server name the client sent in its ClientHello (lower case), or null when it sent none. */
    public static final AttributeKey<String> SERVER_NAME = AttributeKey.valueOf("wakegate.tls.server-name");

    /** Handler names in a TLS pipeline. */
    public static final String PLAIN_HTTP_CHECK = "tls-plain-http-check";
    public static final String SNI = "tls-sni";
    public static final String HANDSHAKE_EVENTS = "tls-handshake-events";

    private final Duration reloadInterval;
    private final Clock clock;
    // replaced together by use() (the reload's thread); read per connection
    private volatile TlsSettings settings;
    private volatile CertificateStore store;
    private CertificateReloader reloader; // guarded by this

    private TlsTermination(TlsSettings settings, CertificateStore store, Duration reloadInterval, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.reloadInterval = reloadInterval;
        this.clock = clock;
        this.reloader = new CertificateReloader(store, settings.certificates(), reloadInterval, clock);
    }

    /**
     * Loads every certificate (checked as of {@code clock}'s now) and starts watching their files.
     *
     * @throws CertificateLoadException naming the file that cannot be served and why
     * @throws SSLException             when the TLS provider refuses the key material
     */
    public static TlsTermination start(TlsSettings settings, SslProvider provider, Duration reloadInterval, Clock clock)
            throws CertificateLoadException, SSLException {
        return new TlsTermination(settings, load(settings.certificates(), provider, clock), reloadInterval, clock);
    }

    private static CertificateStore load(List<TlsSettings.CertificateFiles> files, SslProvider provider, Clock clock)
            throws CertificateLoadException, SSLException {
        List<ServerCertificate> certificates = new ArrayList<>();
        for (TlsSettings.CertificateFiles f : files) {
            certificates.add(ServerCertificate.load(f, clock.instant()));
        }
        return new CertificateStore(certificates, provider);
    }

    /**
     * A reload's first step: every certificate of {@code next} loaded and checked as at start, in a
     * store not yet served. Off any event loop.
     *
     * @throws CertificateLoadException naming the file that cannot be served and why (nothing changed)
     * @throws SSLException             when the TLS provider refuses the key material (nothing changed)
     */
    public CertificateStore load(TlsSettings next) throws CertificateLoadException, SSLException {
        return load(next.certificates(), provider(), clock);
    }

    /**
     * A reload's second step: {@code next} and {@code nextStore} (from {@link #load} of the same
     * settings, or {@link #store()} when the certificate list is unchanged) for the connections
     * accepted from now on; the file watcher follows the new list.
     */
    public synchronized void use(TlsSettings next, CertificateStore nextStore) {
        if (nextStore != store) {
            reloader.close();
            store = nextStore;
            reloader = new CertificateReloader(nextStore, next.certificates(), reloadInterval, clock);
        }
        settings = next;
    }

    /** With the provider {@link TlsContexts#provider()} picks and the default reload interval. */
    public static TlsTermination start(TlsSettings settings) throws CertificateLoadException, SSLException {
        return start(settings, TlsContexts.provider(), CertificateReloader.DEFAULT_INTERVAL, Clock.systemUTC());
    }

    public TlsSettings settings() {
        return settings;
    }

    public CertificateStore store() {
        return store;
    }

    public SslProvider provider() {
        return store.provider();
    }

    /**
     * Puts the handlers of an HTTPS connection first in its pipeline: a check that answers plain
     * HTTP with a 400 ({@link PlainHttpRejector}), then the TLS handlers ({@link #addTlsHandlers}).
     *
     * @param handshakeTimeoutMillis the ClientHello and the handshake must complete within this
     */
    public void addHttpsHandlers(ChannelPipeline pipeline, long handshakeTimeoutMillis) {
        pipeline.addLast(PLAIN_HTTP_CHECK, new PlainHttpRejector());
        addTlsHandlers(pipeline, handshakeTimeoutMillis);
    }

    /**
     * Puts the TLS handlers first in a new connection's pipeline (a TCP listener with {@code tls}):
     * the SNI choice (which becomes the {@code SslHandler}), then a debug log of failed handshakes.
     *
     * @param handshakeTimeoutMillis the ClientHello and the handshake must complete within this
     */
    public void addTlsHandlers(ChannelPipeline pipeline, long handshakeTimeoutMillis) {
        pipeline.addLast(SNI, new SniSelector(store, handshakeTimeoutMillis));
        pipeline.addLast(HANDSHAKE_EVENTS, HandshakeEvents.INSTANCE);
    }

    /** The server name of {@code channel}'s ClientHello, or null (no TLS, no name sent, or no handshake yet). */
    public static @Nullable String serverName(Channel channel) {
        return channel.hasAttr(SERVER_NAME) ? channel.attr(SERVER_NAME).get() : null;
    }

    /** Stops watching the certificate files. */
    @Override
    public synchronized void close() {
        reloader.close();
    }
}
