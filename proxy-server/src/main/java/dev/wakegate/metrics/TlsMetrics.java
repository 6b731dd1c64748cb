package dev.wakegate.metrics;

import dev.wakegate.tls.CertificateStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTPS listener's certificates as meters, one series per configured certificate file:
 * {@code wakegate_tls_certificate_expiry_timestamp_seconds{cert}} (the end of the validity of the
 * certificate being served now, Unix seconds: alert on it minus {@code time()}) and
 * {@code wakegate_tls_certificate_reloads_total{cert,result}} (changed files that were loaded, or
 * refused with the old certificate kept). Values are read from the store at scrape time. A reload
 * that changes the certificate list binds the new store: the series follow the new list, those of
 * removed files are gone, and the counters start again from zero.
 */
final class TlsMetrics {
    static final String EXPIRY = "wakegate.tls.certificate.expiry.timestamp";
    static final String RELOADS = "wakegate.tls.certificate.reloads";

    private TlsMetrics() {
    }

    /** Registers the store's meters; returns them, so that a reload can remove them. */
    static List<Meter> bind(MeterRegistry registry, CertificateStore store) {
        List<Meter> meters = new ArrayList<>();
        for (int i = 0; i < store.certificates().size(); i++) {
            int index = i;
            String cert = store.certificate(i).files().cert().toString();
            meters.add(Gauge.builder(EXPIRY, store, s -> s.certificate(index).notAfter().getEpochSecond())
                    .description("End of the validity of the certificate served from this file (Unix time)")
                    .baseUnit("seconds")
                    .tag("cert", cert)
                    .register(registry));
            meters.add(FunctionCounter.builder(RELOADS, store, s -> s.reloads(index))
                    .description("Changed certificate files loaded, or refused (the old certificate kept)")
                    .tag("cert", cert)
                    .tag("result", "reloaded")
                    .register(registry));
            meters.add(FunctionCounter.builder(RELOADS, store, s -> s.refusals(index))
                    .description("Changed certificate files loaded, or refused (the old certificate kept)")
                    .tag("cert", cert)
                    .tag("result", "refused")
                    .register(registry));
        }
        return meters;
    }
}
