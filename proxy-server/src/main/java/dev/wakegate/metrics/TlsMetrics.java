package dev.wakegate.metrics;

import dev.wakegate.tls.CertificateStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The HTTPS listener's certificates as meters, one series per configured certificate file:
 * {@code wakegate_tls_certificate_expiry_timestamp_seconds{cert}} (the end of the validity of the
 * certificate being served now, Unix seconds: alert on it minus {@code time()}) and
 * {@code wakegate_tls_certificate_reloads_total{cert,result}} (changed files that were loaded, or
 * refused with the old certificate kept). Values are read from the store at scrape time.
 */
final class TlsMetrics {
    static final String EXPIRY = "wakegate.tls.certificate.expiry.timestamp";
    static final String RELOADS = "wakegate.tls.certificate.reloads";

    private TlsMetrics() {
    }

    static void bind(MeterRegistry registry, CertificateStore store) {
        for (int i = 0; i < store.certificates().size(); i++) {
            int index = i;
            String cert = store.certificate(i).files().cert().toString();
            Gauge.builder(EXPIRY, store, s -> s.certificate(index).notAfter().getEpochSecond())
                    .description("End of the validity of the certificate served from this file (Unix time)")
                    .baseUnit("seconds")
                    .tag("cert", cert)
                    .register(registry);
            FunctionCounter.builder(RELOADS, store, s -> s.reloads(index))
                    .description("Changed certificate files loaded, or refused (the old certificate kept)")
                    .tag("cert", cert)
                    .tag("result", "reloaded")
                    .register(registry);
            FunctionCounter.builder(RELOADS, store, s -> s.refusals(index))
                    .description("Changed certificate files loaded, or refused (the old certificate kept)")
                    .tag("cert", cert)
                    .tag("result", "refused")
                    .register(registry);
        }
    }
}
