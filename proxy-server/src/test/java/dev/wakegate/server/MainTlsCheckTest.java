package dev.wakegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyFormat;
import dev.wakegate.testing.TestPki.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wakegate --config FILE --check} with a {@code tls:} section: certificates that cannot be
 * served refuse the config with the file, the key and the reason, as the start would.
 */
class MainTlsCheckTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private Outcome check(String certificates) throws Exception {
        Path config = Files.writeString(dir.resolve("wakegate.yml"), """
                tls:
                  listen: 127.0.0.1:8443
                  certificates: [ %s ]
                routes: [ { host: app.example.com, path: /, upstream: 127.0.0.1:9 } ]
                """.formatted(certificates));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--config", config.toString(), "--check"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aServableCertificatePassesTheCheck() throws Exception {
        new TestPki(dir).issue("site", KeyType.EC, "app.example.com");

        Outcome o = check("{ cert: site.pem, key: site.key }");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("is valid");
    }

    @Test
    void anExpiredCertificateIsRefusedWithFileKeyAndReason() throws Exception {
        Issued old = new TestPki(dir).issue("old", KeyType.RSA, KeyFormat.PKCS8, Instant.now().minus(Duration.ofDays(120)),
                Instant.now().minus(Duration.ofDays(30)), "app.example.com");

        Outcome o = check("{ cert: old.pem, key: old.key }");

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("wakegate: refusing to start: " + dir.resolve("wakegate.yml")
                + ": tls.certificates[0].cert: " + old.cert() + ": the certificate for [app.example.com] expired on");
    }

    @Test
    void aKeyOfAnotherCertificateOrNoKeyAtAllIsRefused() throws Exception {
        TestPki pki = new TestPki(dir);
        pki.issue("a", KeyType.EC, "app.example.com");
        Issued b = pki.issue("b", KeyType.EC, "app.example.com");

        Outcome mismatch = check("{ cert: a.pem, key: b.key }");
        assertThat(mismatch.code()).isEqualTo(2);
        assertThat(mismatch.err()).contains("tls.certificates[0].key: " + b.key()
                + ": the private key does not belong to the certificate in " + dir.resolve("a.pem"));

        Outcome missing = check("{ cert: a.pem, key: /nonexistent/a.key }");
        assertThat(missing.err()).contains("tls.certificates[0].key: /nonexistent/a.key: no such file");
    }
}
