package dev.wakegate.server;

import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.admin.ConfigReload;
import dev.wakegate.config.ConfigException;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.config.TlsSettings;
import dev.wakegate.metrics.ReloadMetrics;
import dev.wakegate.relay.FrontServer;
import dev.wakegate.tls.CertificateLoadException;
import dev.wakegate.tls.CertificateStore;
import dev.wakegate.tls.TlsTermination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A live reload (SIGHUP, {@code POST /health/config/reload}): re-reads the file the proxy was
 * started with, validates it whole ({@link ConfigLoader#load}, as at start), and only then puts it
 * in effect, part by part, on a thread of its own, one reload at a time:
 * <ol>
 *   <li>a changed certificate list ({@code tls.certificates}) is loaded whole into a new store
 *       first ({@link TlsTermination#load}); a file that cannot be served refuses the reload;</li>
 *   <li>the access log switches file or format (a file that cannot be opened fails the reload);</li>
 *   <li>listeners are opened and closed ({@link FrontServer#applyListeners}: all-or-nothing; a port
 *       in use fails the reload, and the access log goes back); {@code tls.listen} moves the HTTPS
 *       listener in the same step;</li>
 *   <li>timeouts and limits for new connections and requests; the trusted proxies; the new
 *       certificates for new handshakes (open TLS connections keep their session), the file
 *       watcher and the certificate meters following the new list; {@code tls.redirect_http},
 *       {@code redirect_port}, {@code hsts} and {@code proxy_protocol} for new connections and
 *       requests;</li>
 *   <li>containers and routes, merged with the label containers ({@link LabelDiscovery#rebase}):
 *       added containers are managed at once, removed ones are no longer managed (never stopped),
 *       routes swap whole.</li>
 * </ol>
 * In-flight and parked requests and open WebSocket/TCP connections are not touched: each keeps
 * what it started with. What cannot change without a restart ({@link #restartRequired}) keeps its
 * running value and is reported. A refused file changes nothing.
 */
final class ConfigReloader implements ConfigReload, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final FrontServer front;
    private final LabelDiscovery discovery;
    private final AccessLog accessLog;
    private final ReloadMetrics metrics;
    private final Supplier<Map<String, String>> env;
    private final Optional<TlsTermination> tls;
    private final Consumer<CertificateStore> tlsMeters;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wakegate-reload");
        t.setDaemon(true);
        return t;
    });
    private ProxyConfig running; // the file's config in effect (labels merged by the discovery). Guarded by this.

    ConfigReloader(ProxyConfig started, FrontServer front, LabelDiscovery discovery, AccessLog accessLog,
                   ReloadMetrics metrics, Supplier<Map<String, String>> env, Optional<TlsTermination> tls,
                   Consumer<CertificateStore> tlsMeters) {
        this.running = started;
        this.front = front;
        this.discovery = discovery;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.env = env;
        this.tls = tls;
        this.tlsMeters = tlsMeters;
    }

    @Override
    public CompletableFuture<Report> reload() {
        return CompletableFuture.supplyAsync(this::reloadNow, thread);
    }

    synchronized Report reloadNow() {
        if (running.source().isEmpty()) {
            metrics.refused();
            return Report.refused("(none)", "(file)", "the proxy was not started from a config file");
        }
        Path file = running.source().get();
        String name = file.toString();
        ProxyConfig read;
        try {
            read = ConfigLoader.load(file, env.get());
        } catch (ConfigException e) {
            metrics.refused();
            log.warn("config reload refused, the running configuration stays: {}", e.getMessage());
            return Report.refused(e.file(), e.key(), e.reason());
        }
        List<String> restart = restartRequired(running, read);
        ProxyConfig next = keepRunning(running, read);
        List<String> changes = new ArrayList<>();

        // the new certificates first: a file that cannot be served refuses the reload before anything changed
        CertificateStore store = tls.map(TlsTermination::store).orElse(null);
        if (tls.isPresent() && !next.tls().orElseThrow().certificates().equals(running.tls().orElseThrow().certificates())) {
            try {
                store = tls.get().load(next.tls().orElseThrow());
            } catch (CertificateLoadException e) {
                return refused(name, certificateKey(next, e.file()), e.getMessage()); // as ConfigLoader (TlsChecks) reports it
            } catch (SSLException e) {
                return refused(name, "tls.certificates", "the TLS provider refuses them: " + e.getMessage());
            }
        }
        if (!next.accessLog().equals(running.accessLog())) {
            try {
                accessLog.configure(next.accessLog());
                changes.add("access log: " + next.accessLog()
                        .map(a -> a.target() + " (" + a.format().name().toLowerCase(Locale.ROOT) + ")").orElse("off"));
            } catch (IOException e) {
                return failed(name, "access_log.path", "cannot open " + next.accessLog().orElseThrow().target()
                        + " for appending: " + e);
            }
        }
        if (!next.listen().equals(running.listen()) || !next.tcp().equals(running.tcp())
                || !next.tls().map(t -> t.listen()).equals(running.tls().map(t -> t.listen()))) {
            try {
                changes.addAll(front.applyListeners(next.listen(), next.tcp(), next.tls().map(t -> t.listen()).orElse(null)));
            } catch (RuntimeException e) {
                try {
                    accessLog.configure(running.accessLog());
                } catch (IOException ignored) {
                    // the old file was open a moment ago; if it cannot be reopened the log says so
                }
                String message = String.valueOf(e.getMessage());
                String key = message.contains("cannot listen on " + next.listen() + ":") ? "listen"
                        : next.tls().filter(t -> message.contains("cannot listen on " + t.listen() + ":")).isPresent()
                        ? "tls.listen" : "tcp";
                return failed(name, key, String.valueOf(e.getMessage()));
            }
        }
        if (!next.timeouts().equals(running.timeouts()) || !next.limits().equals(running.limits())) {
            front.applySettings(next.timeouts(), next.limits());
            changes.add("timeouts and limits (for new connections and requests)");
        }
        if (next.proxyProtocol() != running.proxyProtocol()) {
            front.proxyProtocol(next.proxyProtocol());
            changes.add("proxy_protocol " + (next.proxyProtocol() ? "on" : "off") + " for new connections to " + next.listen());
        }
        if (!next.trustedProxies().equals(running.trustedProxies())) {
            front.trustedProxies(next.trustedProxies());
            changes.add("trusted_proxies: " + next.trustedProxies());
            WakegateServer.warnOnLoopbackProxy(next);
        }
        if (tls.isPresent() && !next.tls().equals(running.tls())) {
            changes.addAll(applyTls(running.tls().orElseThrow(), next.tls().orElseThrow(), java.util.Objects.requireNonNull(store)));
        }
        changes.addAll(discovery.rebase(next));
        running = next;
        metrics.applied();
        log.info("config reloaded from {}: {}", name, changes.isEmpty() ? "nothing changed" : String.join("; ", changes));
        if (!restart.isEmpty()) {
            log.warn("config reload: these settings need a restart and keep their running values: {}",
                    String.join("; ", restart));
        }
        return Report.applied(name, changes, restart);
    }

    /** Certificates, redirect, HSTS and PROXY protocol of the HTTPS listener, for new connections and requests. */
    private List<String> applyTls(TlsSettings was, TlsSettings now, CertificateStore store) {
        List<String> out = new ArrayList<>();
        TlsTermination t = tls.orElseThrow();
        boolean newStore = store != t.store();
        t.use(now, store);
        front.applyHttps(now);
        if (newStore) {
            tlsMeters.accept(store);
            out.add("tls certificates: " + store.certificates().stream().map(c -> c.describe()).toList()
                    + " (for new handshakes; open connections keep theirs)");
        }
        if (was.redirectHttp() != now.redirectHttp() || !was.redirectPort().equals(now.redirectPort())) {
            out.add("tls.redirect_http " + (now.redirectHttp() ? "on, to port " + now.httpsPort() : "off"));
        }
        if (!was.hsts().equals(now.hsts())) {
            out.add("tls.hsts " + now.hsts().map(d -> "max-age=" + d.toSeconds()).orElse("off"));
        }
        if (was.proxyProtocol() != now.proxyProtocol()) {
            out.add("tls.proxy_protocol " + (now.proxyProtocol() ? "on" : "off") + " for new connections to " + now.listen());
        }
        return out;
    }

    /** {@code tls.certificates[i].cert} or {@code .key} for the file at fault. */
    private static String certificateKey(ProxyConfig config, Path file) {
        List<TlsSettings.CertificateFiles> certs = config.tls().orElseThrow().certificates();
        for (int i = 0; i < certs.size(); i++) {
            if (certs.get(i).cert().equals(file)) {
                return "tls.certificates[" + i + "].cert";
            }
            if (certs.get(i).key().equals(file)) {
                return "tls.certificates[" + i + "].key";
            }
        }
        return "tls.certificates";
    }

    private Report refused(String file, String key, String reason) {
        metrics.refused();
        log.warn("config reload refused, the running configuration stays: {}: {}: {}", file, key, reason);
        return Report.refused(file, key, reason);
    }

    private Report failed(String file, String key, String reason) {
        metrics.failed();
        log.warn("config reload failed, the running configuration stays: {}: {}: {}", file, key, reason);
        return Report.failed(file, key, reason);
    }

    /** What differs between {@code a} and {@code b} but is fixed for the process' life. */
    static List<String> restartRequired(ProxyConfig a, ProxyConfig b) {
        List<String> out = new ArrayList<>();
        if (a.workers() != b.workers()) {
            out.add("workers (the event-loop threads)");
        }
        if (!a.state().equals(b.state())) {
            out.add("state (the Redis URL and instance_timeout)");
        }
        if (!a.dockerHost().equals(b.dockerHost())) {
            out.add("docker.host");
        }
        if (!a.discovery().equals(b.discovery())) {
            out.add("docker.labels, docker.project (label discovery)");
        }
        if (!a.automation().equals(b.automation())) {
            out.add("automation (the lifecycle's settings)");
        }
        if (!a.timeouts().dockerCall().equals(b.timeouts().dockerCall())) {
            out.add("timeouts.docker_call");
        }
        if (a.tls().isPresent() != b.tls().isPresent()) {
            out.add("tls (adding or removing the whole tls: section, the HTTPS listener)");
        }
        if (a.jsonLogs() != b.jsonLogs()) {
            out.add("logging.json");
        }
        return out;
    }

    /** {@code read}, with the running values of what {@link #restartRequired} lists. */
    static ProxyConfig keepRunning(ProxyConfig runningConfig, ProxyConfig read) {
        return read.toBuilder()
                .workers(runningConfig.workers())
                .state(runningConfig.state())
                .dockerHost(runningConfig.dockerHost())
                .discovery(runningConfig.discovery())
                .automation(runningConfig.automation())
                .timeouts(read.timeouts().withDockerCall(runningConfig.timeouts().dockerCall()))
                .tls(runningConfig.tls().isPresent() == read.tls().isPresent() ? read.tls() : runningConfig.tls())
                .jsonLogs(runningConfig.jsonLogs())
                .build();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
