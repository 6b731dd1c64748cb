package dev.wakegate.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The access log ({@code access_log:} in YAML): where the lines go and in which format.
 *
 * @param file   the file lines are appended to; empty for standard output ({@code path: stdout})
 * @param format {@link Format#COMBINED} (nginx's {@code combined}) or {@link Format#JSON} (one object a line)
 */
public record AccessLogSettings(Optional<Path> file, Format format) {

    /** The line formats. */
    public enum Format {
        /** nginx's {@code combined}, byte for byte. */
        COMBINED,
        /** One JSON object per line. */
        JSON
    }

    public AccessLogSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
    }

    /** Standard output, combined format: what {@code access_log: {}} means. */
    public static final AccessLogSettings STDOUT_COMBINED = new AccessLogSettings(Optional.empty(), Format.COMBINED);

    /** The target as the config names it: the file, or {@code stdout}. */
    public String target() {
        return file.map(Path::toString).orElse("stdout");
    }
}
