package dev.wakegate.provider.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Docker's TLS files read without BouncyCastle: keys and certificates made by openssl in every form
 * docker's tools write, proven by a real TLS handshake with client authentication on loopback.
 */
class DockerTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCaAndServer() throws Exception {
        ca(dir.resolve("ca"));
        ca(dir.resolve("other-ca"));
        Path server = Files.createDirectories(dir.resolve("server"));
        openssl(server, "genrsa", "-out", "key.pem", "2048");
        sign(server, dir.resolve("ca"), "wakegate-test-engine");
        Files.copy(dir.resolve("ca/ca.pem"), server.resolve("ca.pem"));
    }

    /** Client key forms: PKCS#1 RSA, PKCS#8 RSA, SEC1 EC, PKCS#8 EC. */
    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "rsa-pkcs8", "ec-sec1", "ec-pkcs8"})
    void everyKeyFormDockersToolsWriteAuthenticatesTheClient(String form) throws Exception {
        Path client = client(form, dir.resolve("ca"));
        assertThat(Files.readString(client.resolve("key.pem"))).contains(switch (form) {
            case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
            case "ec-sec1" -> "BEGIN EC PRIVATE KEY";
            default -> "BEGIN PRIVATE KEY";
        });

        String subject = handshake(DockerTls.context(client));

        assertThat(subject).contains("CN=client-" + form);
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedByTheEngine() throws Exception {
        Path client = client("rsa-pkcs1", dir.resolve("other-ca"));
        SSLContext context = DockerTls.context(client);
        assertThatThrownBy(() -> handshake(context)).isInstanceOf(IOException.class);
    }

    @Test
    void anEngineCertificateFromAnotherCaIsRefusedByTheClient() throws Exception {
        Path client = client("ec-sec1", dir.resolve("ca"));
        Files.copy(dir.resolve("other-ca/ca.pem"), client.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SSLContext context = DockerTls.context(client);
        assertThatThrownBy(() -> handshake(context)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void tlsIsOnlyWhenDockerTlsVerifySaysSoAndCertPathDefaultsToHomeDotDocker() throws Exception {
        assertThat(DockerTls.fromEnvironment(Map.of(), "/nonexistent")).isEmpty();
        assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "0"), "/nonexistent")).isEmpty();
        assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", ""), "/nonexistent")).isEmpty();

        Path home = Files.createDirectories(dir.resolve("home"));
        Path dotDocker = home.resolve(".docker");
        if (!Files.exists(dotDocker)) {
            Files.createDirectories(dotDocker);
            Path client = client("ec-pkcs8", dir.resolve("ca"));
            for (String f : List.of("ca.pem", "cert.pem", "key.pem")) {
                Files.copy(client.resolve(f), dotDocker.resolve(f));
            }
        }
        assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1"), home.toString())).isPresent();
        assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "true",
                "DOCKER_CERT_PATH", dotDocker.toString()), "/nonexistent")).isPresent();
    }

    @Test
    void missingOrUnusableFilesAreRefusedNamingTheFile() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> DockerTls.context(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cert.pem").hasMessageContaining("cannot read");

        Path encrypted = client("rsa-pkcs8", dir.resolve("ca"), "encrypted");
        openssl(encrypted, "pkcs8", "-topk8", "-in", "key.pem", "-out", "key.pem.enc", "-passout", "pass:secret");
        Files.move(encrypted.resolve("key.pem.enc"), encrypted.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> DockerTls.context(encrypted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key.pem").hasMessageContaining("encrypted");

        Files.writeString(encrypted.resolve("key.pem"), "not a key", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> DockerTls.context(encrypted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key.pem").hasMessageContaining("no PEM private key");
    }

    // ---- a TLS "engine" on loopback that demands a client certificate signed by ca/ ----

    private static String handshake(SSLContext clientContext) throws Exception {
        SSLContext serverContext = DockerTls.context(dir.resolve("server"));
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                    String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                    s.getOutputStream().write(1);
                    return subject;
                } catch (IOException e) {
                    return "refused: " + e;
                }
            });
            try (SSLSocket s = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setSoTimeout(5000);
                s.startHandshake();
                if (s.getInputStream().read() != 1) { // TLS 1.3: a refused client certificate shows here
                    throw new IOException("the engine closed the connection: " + peer.get(5, TimeUnit.SECONDS));
                }
            }
            return peer.get(5, TimeUnit.SECONDS);
        }
    }

    // ---- openssl ----

    private static void ca(Path ca) throws Exception {
        Files.createDirectories(ca);
        openssl(ca, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=" + ca.getFileName());
    }

    private static Path client(String form, Path ca) throws Exception {
        return client(form, ca, form + "-" + ca.getFileName());
    }

    private static Path client(String form, Path ca, String name) throws Exception {
        Path c = Files.createDirectories(dir.resolve("client-" + name + "-" + System.nanoTime()));
        switch (form) {
            case "rsa-pkcs1" -> openssl(c, "genrsa", "-traditional", "-out", "key.pem", "2048");
            case "rsa-pkcs8" -> openssl(c, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
            case "ec-sec1" -> openssl(c, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
            case "ec-pkcs8" -> openssl(c, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
            default -> throw new IllegalArgumentException(form);
        }
        sign(c, ca, "client-" + form);
        Files.copy(dir.resolve("ca/ca.pem"), c.resolve("ca.pem"));
        return c;
    }

    private static void sign(Path where, Path ca, String cn) throws Exception {
        openssl(where, "req", "-new", "-key", "key.pem", "-out", "req.csr", "-subj", "/CN=" + cn);
        Path ext = where.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl(where, "x509", "-req", "-in", "req.csr", "-CA", ca.resolve("ca.pem").toString(),
                "-CAkey", ca.resolve("ca-key.pem").toString(), "-CAcreateserial", "-out", "cert.pem", "-days", "2",
                "-extfile", ext.toString());
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }
}
