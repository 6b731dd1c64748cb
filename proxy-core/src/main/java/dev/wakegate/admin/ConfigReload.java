package dev.wakegate.admin;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Re-reads the config file the proxy was started with and applies what changed
 * ({@code POST /health/config/reload}, SIGHUP). Implemented by the wiring, which knows every part
 * a reload touches; runs off the event loop and completes with a {@link Report}, never
 * exceptionally.
 */
@FunctionalInterface
public interface ConfigReload {

    CompletableFuture<Report> reload();

    /** How a reload ended. */
    enum Outcome {
        /** The file was valid and is in effect (except {@link Report#restartRequired}). */
        APPLIED,
        /** The file was refused ({@link Report#key} and {@link Report#reason} say why); nothing changed. */
        REFUSED,
        /** The file was valid but could not be put in effect (a port in use, a log file that cannot be opened); nothing changed. */
        FAILED
    }

    /**
     * @param file            the file that was read
     * @param key             the key refused, for {@code REFUSED}/{@code FAILED} ({@code (file)} for the file as a whole)
     * @param reason          why, for {@code REFUSED}/{@code FAILED}
     * @param changes         what changed, one line each, for {@code APPLIED}
     * @param restartRequired settings that differ in the file but cannot change without a restart: they keep their running value
     */
    record Report(Outcome outcome, String file, @Nullable String key, @Nullable String reason, List<String> changes,
                  List<String> restartRequired) {
        public Report {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(file, "file");
            changes = List.copyOf(changes);
            restartRequired = List.copyOf(restartRequired);
        }

        public static Report applied(String file, List<String> changes, List<String> restartRequired) {
            return new Report(Outcome.APPLIED, file, null, null, changes, restartRequired);
        }

        public static Report refused(String file, String key, String reason) {
            return new Report(Outcome.REFUSED, file, key, reason, List.of(), List.of());
        }

        public static Report failed(String file, String key, String reason) {
            return new Report(Outcome.FAILED, file, key, reason, List.of(), List.of());
        }
    }
}
