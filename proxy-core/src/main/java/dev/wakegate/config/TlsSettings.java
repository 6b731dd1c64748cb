package dev.wakegate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTPS listener ({@code tls:}): where it listens, the certificates it serves (chosen by SNI;
 * the first one for clients that send no name or a name no certificate has), and what the plain
 * HTTP listener does about it.
 *
 * @param listen       the HTTPS listener
 * @param certificates PEM files, in the order given (the first is the default)
 * @param redirectHttp plain HTTP answers 308 to the https URL (except {@code /health/*} and
 *                     {@code /.well-known/acme-challenge/})
 * @param redirectPort the port the redirect names (empty: the port of {@code listen}); 443 is left out of the URL
 * @param hsts         {@code Strict-Transport-Security} max-age added to responses over HTTPS; empty: none
 */
public record TlsSettings(HostPort listen, List<CertificateFiles> certificates, boolean redirectHttp,
                          Optional<Integer> redirectPort, Optional<Duration> hsts, boolean proxyProtocol) {

    public TlsSettings {
        certificates = List.copyOf(certificates);
    }

    /** Without the PROXY protocol on the HTTPS listener. */
    public TlsSettings(HostPort listen, List<CertificateFiles> certificates, boolean redirectHttp,
                       Optional<Integer> redirectPort, Optional<Duration> hsts) {
        this(listen, certificates, redirectHttp, redirectPort, hsts, false);
    }

    /** The port plain-HTTP redirects point to. */
    public int httpsPort() {
        return redirectPort.orElse(listen.port());
    }

    /**
     * One certificate: its chain (leaf first) and its private key, both PEM.
     *
     * @param key the private key file (PKCS#8, or the traditional RSA and EC forms); may be the
     *            same file as {@code cert}
     */
    public record CertificateFiles(Path cert, Path key) {
    }
}
