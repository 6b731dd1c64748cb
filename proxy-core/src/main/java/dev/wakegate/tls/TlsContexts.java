package dev.wakegate.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Server {@link SslContext}s as the HTTPS listener serves them: TLS 1.2 and 1.3 only, Mozilla's
 * "intermediate" cipher suites (forward secrecy, AEAD only), ALPN offering {@code http/1.1} alone.
 * OpenSSL (BoringSSL from netty-tcnative) when it loads on this platform, else the JDK's provider;
 * {@link #provider()} says which, once per process.
 *
 * <p>One context may hold several certificates, one per key type (an RSA and an ECDSA certificate
 * for the same names): the handshake picks the one the client can verify.
 */
public final class TlsContexts {
    /** TLS 1.3 first; TLS 1.0 and 1.1 are never offered. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Mozilla's intermediate configuration (server-side TLS guidelines, version 5.7), in its order.
     * Suites a provider lacks are left out (BoringSSL has no DHE, and picks its TLS 1.3 suites itself).
     */
    public static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final ApplicationProtocolConfig ALPN_HTTP_1_1 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);
    private static final char[] KEY_STORE_PASSWORD = "wakegate".toCharArray(); // an in-memory store: nothing to guard

    private TlsContexts() {
    }

    /** OpenSSL when netty-tcnative loads here, else the JDK. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** For the start-up log: which provider, and its version or why OpenSSL is not used. */
    public static String describe(SslProvider provider) {
        if (provider == SslProvider.JDK) {
            Throwable why = OpenSsl.unavailabilityCause();
            return "JDK (" + System.getProperty("java.vendor") + " " + System.getProperty("java.version") + ")"
                    + (why == null ? "" : "; OpenSSL unavailable: " + why.getMessage());
        }
        return "OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative)";
    }

    /**
     * A server context serving {@code certificates} (at most one per key type, as the caller groups them).
     *
     * @throws SSLException when the provider refuses the key material
     */
    public static SslContext server(List<ServerCertificate> certificates, SslProvider provider) throws SSLException {
        KeyManagerFactory keyManagers;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                ServerCertificate c = certificates.get(i);
                store.setKeyEntry("cert" + i, c.key(), KEY_STORE_PASSWORD, c.chain().toArray(new X509Certificate[0]));
            }
            // OpenSSL: the factory that encodes the key material once, not on every handshake
            keyManagers = provider == SslProvider.JDK
                    ? KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
                    : new OpenSslX509KeyManagerFactory();
            keyManagers.init(store, KEY_STORE_PASSWORD);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new SSLException("cannot hold the key material of " + certificates + ": " + e.getMessage(), e);
        }
        return SslContextBuilder.forServer(keyManagers)
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(ALPN_HTTP_1_1)
                .build();
    }
}
