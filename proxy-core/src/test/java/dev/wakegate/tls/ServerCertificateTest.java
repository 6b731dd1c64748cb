package dev.wakegate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wakegate.config.TlsSettings.CertificateFiles;
import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyFormat;
import dev.wakegate.testing.TestPki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerCertificateTest {
    @TempDir
    Path dir;
    private TestPki pki;

    @BeforeEach
    void pki() {
        pki = new TestPki(dir);
    }

    private static Instant now() {
        return Instant.now();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void readsChainKeyAndNamesInEveryKeyFormatAcmeClientsWrite(KeyType type) throws Exception {
        for (KeyFormat format : KeyFormat.values()) {
            Issued issued = pki.issue(type + "-" + format, type, format, now().minusSeconds(60),
                    now().plus(Duration.ofDays(30)), "App.Example.com", "*.example.org");

            ServerCertificate c = ServerCertificate.load(issued.files(), now());

            assertThat(c.names()).containsExactly("app.example.com", "*.example.org");
            assertThat(c.chain()).hasSize(2);
            assertThat(c.leaf()).isEqualTo(issued.leaf());
            assertThat(c.keyType()).isEqualTo(type.name());
            assertThat(c.notAfter()).isEqualTo(issued.leaf().getNotAfter().toInstant());
        }
        assertThat(Files.readString(dir.resolve(type + "-TRADITIONAL.key")))
                .startsWith("-----BEGIN " + type + " PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve(type + "-PKCS8.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void readsCertificateAndKeyFromOneFile() throws Exception {
        Issued issued = pki.issue("combined", KeyType.EC, "a.example.com");
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(issued.key()) + Files.readString(issued.cert()));

        assertThat(ServerCertificate.load(new CertificateFiles(both, both), now()).names())
                .containsExactly("a.example.com");
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() {
        Issued a = pki.issue("a", KeyType.EC, "a.example.com");
        Issued b = pki.issue("b", KeyType.EC, "b.example.com");

        assertThatThrownBy(() -> ServerCertificate.load(new CertificateFiles(a.cert(), b.key()), now()))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(b.key());
                    assertThat(e.reason()).contains("does not belong to the certificate in " + a.cert());
                });
    }

    @Test
    void refusesAKeyOfAnotherTypeThanTheCertificate() {
        Issued rsa = pki.issue("rsa", KeyType.RSA, "a.example.com");
        Issued ec = pki.issue("ec", KeyType.EC, "a.example.com");

        assertThatThrownBy(() -> ServerCertificate.load(new CertificateFiles(rsa.cert(), ec.key()), now()))
                .hasMessageContaining("does not belong");
    }

    @Test
    void refusesAnExpiredCertificateAndOneNotYetValid() {
        Issued expired = pki.issue("old", KeyType.EC, KeyFormat.PKCS8, now().minus(Duration.ofDays(90)),
                now().minus(Duration.ofDays(1)), "old.example.com");
        Issued future = pki.issue("future", KeyType.EC, KeyFormat.PKCS8, now().plus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(90)), "new.example.com");

        assertThatThrownBy(() -> ServerCertificate.load(expired.files(), now()))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(expired.cert());
                    assertThat(e.reason()).contains("[old.example.com] expired on");
                });
        assertThatThrownBy(() -> ServerCertificate.load(future.files(), now()))
                .hasMessageContaining("is not valid before");
    }

    @Test
    void refusesMissingUnreadableAndMalformedFilesNamingTheFile() throws Exception {
        Issued ok = pki.issue("ok", KeyType.EC, "a.example.com");
        Path missing = dir.resolve("missing.key");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");
        Path badBase64 = Files.writeString(dir.resolve("bad64.pem"),
                "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        Path encrypted = Files.writeString(dir.resolve("enc.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path twoKeys = Files.writeString(dir.resolve("two.key"), Files.readString(ok.key()) + Files.readString(ok.key()));

        assertRefused(new CertificateFiles(ok.cert(), missing), missing, "no such file");
        assertRefused(new CertificateFiles(ok.cert(), directory), directory, "is a directory");
        assertRefused(new CertificateFiles(garbage, ok.key()), garbage, "has no certificate");
        assertRefused(new CertificateFiles(ok.cert(), garbage), garbage, "has no private key");
        assertRefused(new CertificateFiles(badBase64, ok.key()), badBase64, "certificate 1 cannot be parsed");
        assertRefused(new CertificateFiles(ok.cert(), encrypted), encrypted, "is encrypted");
        assertRefused(new CertificateFiles(ok.cert(), twoKeys), twoKeys, "has 2 private keys");
    }

    private static void assertRefused(CertificateFiles files, Path culprit, String reason) {
        assertThatThrownBy(() -> ServerCertificate.load(files, Instant.now()))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(culprit);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.getMessage()).startsWith(culprit + ": ");
                });
    }
}
