package dev.wakegate.tls;

import dev.wakegate.config.TlsSettings.CertificateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Re-reads a certificate when its files change, with no restart. Every {@code interval} it looks
 * at each certificate's two files (one {@code stat} each, following symbolic links) and compares
 * file identity (device and inode), modification time and size with what it last read, so all the
 * ways ACME clients renew are seen: a file written in place, a new file renamed over the old one
 * (acme.sh, most scripts), and certbot's {@code live/} symbolic links moved to a new
 * {@code archive/} file. A changed certificate is loaded and checked like at start; if that fails
 * (half-written, key and certificate from different renewals, expired) the reason is logged, the
 * certificate being served stays, and it is tried again when the files change again.
 *
 * <p>Runs on its own daemon thread, never on an event loop. The store swap is atomic: new
 * handshakes get the new certificate, connections already open keep theirs.
 */
public final class CertificateReloader implements AutoCloseable {
    /** How often the files are looked at when nothing else is said. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    private final CertificateStore store;
    private final List<CertificateFiles> files;
    private final Clock clock;
    private final List<Stamp> lastSeen = new ArrayList<>(); // per certificate: what was last tried (loaded or refused)
    private final ScheduledExecutorService thread;

    /**
     * Starts watching; the first look is one interval from now.
     *
     * @param files the config entries of the store's certificates, in the same order
     */
    public CertificateReloader(CertificateStore store, List<CertificateFiles> files, Duration interval, Clock clock) {
        this.store = store;
        this.files = List.copyOf(files);
        this.clock = clock;
        for (CertificateFiles f : this.files) {
            lastSeen.add(Stamp.of(f));
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wakegate-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        thread.scheduleWithFixedDelay(this::checkSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("certificate reload check failed: {}", e.toString(), e); // keep the schedule alive
        }
    }

    /** One look at every certificate's files; reloads what changed. On the reloader's thread (or a test's). */
    void check() {
        for (int i = 0; i < files.size(); i++) {
            Stamp now = Stamp.of(files.get(i));
            if (now.equals(lastSeen.get(i))) {
                continue;
            }
            lastSeen.set(i, now);
            reload(i);
        }
    }

    private void reload(int index) {
        CertificateFiles f = files.get(index);
        ServerCertificate old = store.certificate(index);
        ServerCertificate next;
        try {
            next = ServerCertificate.load(f, clock.instant());
            store.replace(index, next);
        } catch (CertificateLoadException e) {
            store.refused(index, e.getMessage());
            log.warn("refusing the changed certificate files {} + {}: {}; still serving {}", f.cert(), f.key(),
                    e.getMessage(), old.describe());
            return;
        } catch (SSLException e) {
            store.refused(index, "the TLS provider does not accept them: " + e.getMessage());
            log.warn("refusing the changed certificate files {} + {}: the TLS provider does not accept them: {};"
                    + " still serving {}", f.cert(), f.key(), e.getMessage(), old.describe());
            return;
        }
        log.info("reloaded certificate {}: now serving {} (was {})", f.cert(), next.describe(), old.describe());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** What identifies one version of a certificate's files: identity, mtime and size of both. */
    private record Stamp(Object certKey, long certModified, long certSize, Object keyKey, long keyModified,
                         long keySize) {
        static Stamp of(CertificateFiles f) {
            Object[] c = attributes(f.cert());
            Object[] k = attributes(f.key());
            return new Stamp(c[0], (long) c[1], (long) c[2], k[0], (long) k[1], (long) k[2]);
        }

        /** {fileKey, mtime in ns, size}; a file that cannot be read now has a stamp of its own. */
        private static Object[] attributes(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class); // follows symlinks
                return new Object[] {Objects.requireNonNullElse(a.fileKey(), "no-key"),
                        a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size()};
            } catch (IOException e) {
                return new Object[] {"unreadable: " + e.getClass().getSimpleName(), -1L, -1L};
            }
        }
    }
}
