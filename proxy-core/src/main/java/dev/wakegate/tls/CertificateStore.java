package dev.wakegate.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.SSLException;

/**
 * The certificates being served and the SNI choice among them, as Netty's {@link Mapping} from the
 * client's server name to a context: the certificates naming it exactly, else those with the
 * {@code *.} wildcard for the rest of it (one label), else the default (the first certificate's).
 * Where several certificates name a host, the first of each key type in config order serves it,
 * so an RSA and an ECDSA certificate can share names.
 *
 * <p>The whole table is an immutable snapshot behind a volatile field: {@link #map} (on event
 * loops, once per handshake) reads it without locks; {@link #replace} (the reloader's thread)
 * builds a complete new one and swaps it in, or throws and leaves the old one serving. A
 * handshake uses the snapshot it read; connections already open keep their session.
 */
public final class CertificateStore implements Mapping<String, SslContext> {
    private final SslProvider provider;
    private final AtomicLongArray reloads;      // per certificate: replaced
    private final AtomicLongArray refusals;     // per certificate: new files refused
    private final AtomicReferenceArray<@Nullable String> problems; // per certificate: why the last new files were refused
    private volatile Snapshot snapshot;

    /** @throws SSLException when the provider refuses one of them */
    public CertificateStore(List<ServerCertificate> certificates, SslProvider provider) throws SSLException {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificates");
        }
        this.provider = provider;
        this.reloads = new AtomicLongArray(certificates.size());
        this.refusals = new AtomicLongArray(certificates.size());
        this.problems = new AtomicReferenceArray<>(certificates.size());
        this.snapshot = Snapshot.build(List.copyOf(certificates), provider);
    }

    /** The context for a ClientHello's server name ({@code null} when the client sent none). */
    @Override
    public SslContext map(@Nullable String serverName) {
        Snapshot s = snapshot;
        if (serverName == null || serverName.isEmpty()) {
            return s.fallback;
        }
        String name = serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
        SslContext c = s.exact.get(name);
        if (c != null) {
            return c;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            c = s.wildcard.get(name.substring(dot + 1));
            if (c != null) {
                return c;
            }
        }
        return s.fallback;
    }

    /** The certificates served now, in config order. */
    public List<ServerCertificate> certificates() {
        return snapshot.certificates;
    }

    /** The certificate served now from config entry {@code index}. */
    public ServerCertificate certificate(int index) {
        return snapshot.certificates.get(index);
    }

    public SslProvider provider() {
        return provider;
    }

    /**
     * Serves {@code next} in place of the certificate at {@code index} from the next handshake on.
     *
     * @throws SSLException when the provider refuses it; the current certificates stay
     */
    public synchronized void replace(int index, ServerCertificate next) throws SSLException {
        List<ServerCertificate> certs = new ArrayList<>(snapshot.certificates);
        certs.set(index, next);
        snapshot = Snapshot.build(List.copyOf(certs), provider);
        reloads.incrementAndGet(index);
        problems.set(index, null);
    }

    /** Records that new files for {@code index} were refused, and why (the reloader reports them). */
    void refused(int index, String reason) {
        problems.set(index, reason);
        refusals.incrementAndGet(index);
    }

    /** Why the last changed files of the certificate at {@code index} were refused; null when the last change loaded. */
    public @Nullable String lastProblem(int index) {
        return problems.get(index);
    }

    /** How often the certificate at {@code index} was replaced since start. */
    public long reloads(int index) {
        return reloads.get(index);
    }

    /** How often new files for the certificate at {@code index} were refused since start. */
    public long refusals(int index) {
        return refusals.get(index);
    }

    /** One complete SNI table. */
    private static final class Snapshot {
        final List<ServerCertificate> certificates;
        final Map<String, SslContext> exact;
        final Map<String, SslContext> wildcard;  // keyed by the part after "*."
        final SslContext fallback;

        private Snapshot(List<ServerCertificate> certificates, Map<String, SslContext> exact,
                         Map<String, SslContext> wildcard, SslContext fallback) {
            this.certificates = certificates;
            this.exact = exact;
            this.wildcard = wildcard;
            this.fallback = fallback;
        }

        static Snapshot build(List<ServerCertificate> certs, SslProvider provider) throws SSLException {
            Map<String, List<ServerCertificate>> exactGroups = new LinkedHashMap<>();
            Map<String, List<ServerCertificate>> wildcardGroups = new LinkedHashMap<>();
            for (ServerCertificate c : certs) {
                for (String name : c.names()) {
                    Map<String, List<ServerCertificate>> groups = name.startsWith("*.") ? wildcardGroups : exactGroups;
                    String key = name.startsWith("*.") ? name.substring(2) : name;
                    List<ServerCertificate> group = groups.computeIfAbsent(key, k -> new ArrayList<>());
                    if (group.stream().noneMatch(g -> g.keyType().equals(c.keyType()))) {
                        group.add(c); // the first certificate of each key type for a name serves it
                    }
                }
            }
            // one context per distinct group: a certificate with many names is one context
            Map<List<ServerCertificate>, SslContext> contexts = new HashMap<>();
            Map<String, SslContext> exact = new HashMap<>();
            for (Map.Entry<String, List<ServerCertificate>> e : exactGroups.entrySet()) {
                exact.put(e.getKey(), context(contexts, e.getValue(), provider));
            }
            Map<String, SslContext> wildcard = new HashMap<>();
            for (Map.Entry<String, List<ServerCertificate>> e : wildcardGroups.entrySet()) {
                wildcard.put(e.getKey(), context(contexts, e.getValue(), provider));
            }
            String first = certs.get(0).names().get(0);
            // never null: the first certificate is the first of its key type under each of its names
            SslContext fallback = Objects.requireNonNull(
                    first.startsWith("*.") ? wildcard.get(first.substring(2)) : exact.get(first),
                    "no context for the first certificate's name " + first);
            return new Snapshot(certs, Map.copyOf(exact), Map.copyOf(wildcard), fallback);
        }

        private static SslContext context(Map<List<ServerCertificate>, SslContext> contexts, List<ServerCertificate> group,
                                          SslProvider provider) throws SSLException {
            SslContext c = contexts.get(group);
            if (c == null) {
                c = TlsContexts.server(group, provider);
                contexts.put(List.copyOf(group), c);
            }
            return c;
        }
    }
}
