package dev.wakegate.config;

import dev.wakegate.tls.CertificateLoadException;
import dev.wakegate.tls.ServerCertificate;

import java.time.Instant;

/**
 * The file-system half of validating {@code tls:}: every certificate is read and checked as the
 * HTTPS listener will (chain, key, key matching the certificate, DNS names, validity now), so a
 * bad one refuses the start (and {@code --check}) naming the config key, the file and the reason.
 */
final class TlsChecks {
    private TlsChecks() {
    }

    static void checkCertificates(String file, TlsSettings tls) throws ConfigException {
        for (int i = 0; i < tls.certificates().size(); i++) {
            TlsSettings.CertificateFiles c = tls.certificates().get(i);
            try {
                ServerCertificate.load(c, Instant.now());
            } catch (CertificateLoadException e) {
                String key = "tls.certificates[" + i + "]." + (e.file().equals(c.key()) && !c.key().equals(c.cert())
                        ? "key" : "cert");
                throw new ConfigException(file, key, String.valueOf(e.getMessage()));
            }
        }
    }
}
