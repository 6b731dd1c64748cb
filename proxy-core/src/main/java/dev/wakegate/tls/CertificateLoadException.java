package dev.wakegate.tls;

import java.nio.file.Path;

/**
 * A certificate or key that cannot be served: the file it concerns and why, in words an operator
 * can act on ({@code /certs/a.key: the private key does not belong to the certificate in /certs/a.pem}).
 */
public final class CertificateLoadException extends Exception {
    private final Path file;
    private final String reason;

    public CertificateLoadException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public CertificateLoadException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** {@code file: reason}: never null, so it can be reported as it is. */
    @Override
    public String getMessage() {
        return file + ": " + reason;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** Why, without the file name. */
    public String reason() {
        return reason;
    }
}
