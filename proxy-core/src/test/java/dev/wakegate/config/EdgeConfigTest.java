package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wakegate.config.LabelConfig.Labelled;
import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyFormat;
import dev.wakegate.testing.TestPki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of a real edge: {@code routes[].host}, {@code tls:} (listen, certificates, redirect,
 * HSTS), {@code tcp[].tls} and the label {@code wakegate.host}; read, and refused with file, key
 * and reason.
 */
class EdgeConfigTest {
    private static final String FILE = "wakegate.yml";

    @TempDir
    Path dir;

    private static ProxyConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, FILE, Map.of());
    }

    private static ConfigException refuse(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("refused: %s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith(FILE + ": " + e.key() + ": ");
        return e;
    }

    // ---------------------------------------------------------------- routes[].host

    @Test
    void readsOneHostOrAListNormalised() throws ConfigException {
        ProxyConfig c = parse("""
                routes:
                  - { host: App.Example.COM, path: /api, upstream: 127.0.0.1:1 }
                  - { host: ["*.example.com", "shop.example.org."], path: /, upstream: 127.0.0.1:2 }
                  - { path: /, upstream: 127.0.0.1:3 }
                """);

        assertThat(c.routes()).extracting(RouteSpec::hosts).containsExactly(
                List.of("app.example.com"), List.of("*.example.com", "shop.example.org"), List.of());
    }

    @Test
    void theSamePathUnderOtherHostsIsNoDuplicateButTheSameHostAndPathIs() throws ConfigException {
        parse("""
                routes:
                  - { host: a.example.com, path: /, upstream: 127.0.0.1:1 }
                  - { host: b.example.com, path: /, upstream: 127.0.0.1:1 }
                  - { path: /, upstream: 127.0.0.1:1 }
                """);
        ConfigException e = refuse("""
                routes:
                  - { host: [a.example.com, b.example.com], path: /api, upstream: 127.0.0.1:1 }
                  - { host: B.example.com, path: /api/, upstream: 127.0.0.1:2 }
                """);
        assertThat(e.key()).isEqualTo("routes[1].path");
        assertThat(e.reason()).isEqualTo("duplicate route b.example.com/api (also routes[0])");
    }

    @Test
    void refusesHostsThatCannotBeHosts() {
        assertThat(refuse("routes: [ { host: 'a.example.com:443', path: /, upstream: 127.0.0.1:1 } ]").reason())
                .contains("without a port");
        ConfigException wild = refuse("routes: [ { host: [ok.example.com, 'a.*.example.com'], path: /, upstream: 127.0.0.1:1 } ]");
        assertThat(wild.key()).isEqualTo("routes[0].host[1]");
        assertThat(wild.reason()).contains("exactly one whole first label");
        assertThat(refuse("routes: [ { host: [], path: /, upstream: 127.0.0.1:1 } ]").reason()).contains("empty list");
        assertThat(refuse("routes: [ { host: [a.test, A.test], path: /, upstream: 127.0.0.1:1 } ]").reason())
                .contains("'a.test' is listed twice");
        assertThat(refuse("routes: [ { host: 80, path: /, upstream: 127.0.0.1:1 } ]").reason()).contains("expected text");
    }

    // ---------------------------------------------------------------- tls:

    @Test
    void readsTheTlsSectionWithItsDefaults() throws ConfigException {
        ProxyConfig c = parse("""
                tls:
                  listen: 0.0.0.0:8443
                  certificates:
                    - { cert: /certs/a.pem, key: /certs/a.key }
                    - { cert: relative/b.pem, key: relative/b.key }
                routes: [ { path: /, upstream: 127.0.0.1:1 } ]
                """);

        TlsSettings t = c.tls().orElseThrow();
        assertThat(t.listen()).isEqualTo(new HostPort("0.0.0.0", 8443));
        assertThat(t.certificates().get(0)).isEqualTo(new TlsSettings.CertificateFiles(Path.of("/certs/a.pem"),
                Path.of("/certs/a.key")));
        assertThat(t.certificates().get(1).cert()).isEqualTo(Path.of("relative/b.pem").toAbsolutePath());
        assertThat(t.redirectHttp()).isFalse();
        assertThat(t.httpsPort()).isEqualTo(8443);
        assertThat(t.hsts()).isEmpty();
        assertThat(parse("routes: [ { path: /, upstream: 127.0.0.1:1 } ]").tls()).isEmpty();
    }

    @Test
    void readsRedirectAndHsts() throws ConfigException {
        TlsSettings t = parse("""
                tls: { listen: 0.0.0.0:8443, certificates: [ { cert: /a.pem, key: /a.key } ],
                       redirect_http: true, redirect_port: 443, hsts: 365d }
                """).tls().orElseThrow();

        assertThat(t.redirectHttp()).isTrue();
        assertThat(t.httpsPort()).isEqualTo(443);
        assertThat(t.hsts()).contains(Duration.ofDays(365));
    }

    @Test
    void refusesAnIncompleteOrConflictingTlsSection() {
        assertThat(refuse("tls: { certificates: [ { cert: /a.pem, key: /a.key } ] }").key()).isEqualTo("tls.listen");
        assertThat(refuse("tls: { listen: 0.0.0.0:443 }").key()).isEqualTo("tls.certificates");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [] }").key()).isEqualTo("tls.certificates");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a.pem } ] }").key())
                .isEqualTo("tls.certificates[0].key");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { key: /a.key } ] }").key())
                .isEqualTo("tls.certificates[0].cert");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a.pem, key: /a.key, pass: x } ] }")
                .key()).isEqualTo("tls.certificates[0].pass");
        ConfigException twice = refuse("""
                tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a.pem, key: /a.key }, { cert: /a.pem, key: /b.key } ] }
                """);
        assertThat(twice.key()).isEqualTo("tls.certificates[1].cert");
        assertThat(twice.reason()).contains("listed twice");
        assertThat(refuse("listen: 0.0.0.0:8000\ntls: { listen: 0.0.0.0:8000, certificates: [ { cert: /a, key: /b } ] }")
                .reason()).contains("the HTTP front listener already uses");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a, key: /b } ], redirect_port: 70000 }")
                .key()).isEqualTo("tls.redirect_port");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a, key: /b } ], hsts: 0s }").key())
                .isEqualTo("tls.hsts");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a, key: /b } ], redirect_http: yes please }")
                .key()).isEqualTo("tls.redirect_http");
        assertThat(refuse("tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a, key: /b } ], alpn: h2 }").reason())
                .contains("unknown key");
    }

    // ---------------------------------------------------------------- tcp[].tls

    @Test
    void aTcpListenerTerminatesTlsWithTheCertificatesOfTheTlsSection() throws ConfigException {
        ProxyConfig c = parse("""
                tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a.pem, key: /a.key } ] }
                tcp:
                  - { listen: 0.0.0.0:6380, upstream: 127.0.0.1:6379, tls: true }
                  - { listen: 0.0.0.0:5433, upstream: 127.0.0.1:5432 }
                """);
        assertThat(c.tcp()).extracting(TcpSpec::tls).containsExactly(true, false);

        ConfigException noCerts = refuse("tcp: [ { listen: 0.0.0.0:6380, upstream: 127.0.0.1:6379, tls: true } ]");
        assertThat(noCerts.key()).isEqualTo("tcp[0].tls");
        assertThat(noCerts.reason()).contains("needs certificates");
        assertThat(refuse("""
                tls: { listen: 0.0.0.0:443, certificates: [ { cert: /a.pem, key: /a.key } ] }
                tcp: [ { listen: 0.0.0.0:443, upstream: 127.0.0.1:6379 } ]
                """).reason()).contains("the HTTPS listener (tls.listen) already uses");
    }

    @Test
    void theEnvironmentsListenMayNotTakeTheHttpsListenersAddress() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(
                "tls: { listen: 0.0.0.0:8443, certificates: [ { cert: /a.pem, key: /a.key } ] }", FILE,
                Map.of(EnvOverrides.LISTEN, "0.0.0.0:8443")));
        assertThat(e.key()).isEqualTo(EnvOverrides.LISTEN);
    }

    // ---------------------------------------------------------------- certificate files at load

    @Test
    void loadReadsTheCertificatesRelativeToTheConfigFile() throws Exception {
        TestPki pki = new TestPki(dir);
        pki.issue("site", KeyType.EC, "app.example.com");
        Path file = Files.writeString(dir.resolve("wakegate.yml"), """
                tls: { listen: 127.0.0.1:8443, certificates: [ { cert: site.pem, key: site.key } ] }
                """);

        ProxyConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.tls().orElseThrow().certificates().get(0).cert()).isEqualTo(dir.resolve("site.pem").toAbsolutePath());
    }

    @Test
    void loadRefusesCertificatesThatCannotBeServedNamingKeyFileAndReason() throws Exception {
        TestPki pki = new TestPki(dir);
        Issued good = pki.issue("good", KeyType.EC, "app.example.com");
        Issued other = pki.issue("other", KeyType.EC, "app.example.com");
        Issued expired = pki.issue("expired", KeyType.RSA, KeyFormat.TRADITIONAL, Instant.now().minus(Duration.ofDays(100)),
                Instant.now().minus(Duration.ofDays(10)), "old.example.com");

        ConfigException missing = refuseLoad("{ cert: good.pem, key: nothing.key }");
        assertThat(missing.key()).isEqualTo("tls.certificates[0].key");
        assertThat(missing.reason()).isEqualTo(dir.resolve("nothing.key") + ": no such file");

        ConfigException mismatch = refuseLoad("{ cert: good.pem, key: other.key }");
        assertThat(mismatch.key()).isEqualTo("tls.certificates[0].key");
        assertThat(mismatch.reason()).contains(other.key() + ": the private key does not belong to the certificate in "
                + good.cert());

        ConfigException old = refuseLoad("{ cert: good.pem, key: good.key }, { cert: expired.pem, key: expired.key }");
        assertThat(old.key()).isEqualTo("tls.certificates[1].cert");
        assertThat(old.reason()).contains(expired.cert() + ": the certificate for [old.example.com] expired on");

        Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        ConfigException unreadable = refuseLoad("{ cert: good.pem, key: garbage.key }");
        assertThat(unreadable.key()).isEqualTo("tls.certificates[0].key");
        assertThat(unreadable.reason()).contains("cannot be read as RSA, EC or EdDSA");
    }

    private ConfigException refuseLoad(String certificates) throws Exception {
        Path file = Files.writeString(dir.resolve("wakegate.yml"),
                "tls: { listen: 127.0.0.1:8443, certificates: [ " + certificates + " ] }\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo(file.toString());
        return e;
    }

    // ---------------------------------------------------------------- wakegate.host

    @Test
    void theHostLabelRoutesItsHostsAloneOrWithPaths() throws ConfigException {
        Labelled hostOnly = LabelConfig.parse("c1", "blog", Map.of(LabelConfig.ENABLE, "true",
                LabelConfig.HOST, "Blog.example.com, www.blog.example.com", LabelConfig.PORT, "2368")).orElseThrow();
        assertThat(hostOnly.routes()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/");
            assertThat(r.hosts()).containsExactly("blog.example.com", "www.blog.example.com");
        });

        Labelled withPaths = LabelConfig.parse("c2", "api", Map.of(LabelConfig.ENABLE, "true",
                LabelConfig.HOST, "*.example.com", LabelConfig.ROUTE, "/api,/v2", LabelConfig.PORT, "80")).orElseThrow();
        assertThat(withPaths.routes()).extracting(RouteSpec::path).containsExactly("/api", "/v2");
        assertThat(withPaths.routes()).allSatisfy(r -> assertThat(r.hosts()).containsExactly("*.example.com"));
    }

    @Test
    void refusesABadHostLabel() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("c1", null,
                Map.of(LabelConfig.ENABLE, "true", LabelConfig.HOST, "a.example.com:80", LabelConfig.PORT, "80")));
        assertThat(e.file()).isEqualTo("labels of container c1");
        assertThat(e.key()).isEqualTo(LabelConfig.HOST);
        assertThat(e.reason()).contains("without a port");
        ConfigException noAddress = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("c1", null,
                Map.of(LabelConfig.ENABLE, "true", LabelConfig.HOST, "a.example.com")));
        assertThat(noAddress.key()).isEqualTo(LabelConfig.HOST);
        assertThat(noAddress.reason()).contains("routes need an address");
    }

    @Test
    void yamlWinsHostByHostOverLabels() throws ConfigException {
        ProxyConfig base = parse("routes: [ { host: a.example.com, path: /, upstream: 127.0.0.1:1 } ]");
        Labelled labelled = LabelConfig.parse("c1", "web", Map.of(LabelConfig.ENABLE, "true",
                LabelConfig.HOST, "a.example.com,b.example.com", LabelConfig.PORT, "80")).orElseThrow();

        ProxyConfig merged = ConfigMerge.withLabels(base, List.of(labelled));

        assertThat(merged.routes()).hasSize(2);
        assertThat(merged.routes().get(1).hosts()).containsExactly("b.example.com");
        assertThat(merged.routes().get(1).upstream()).isEqualTo(new HostPort("web", 80));

        Labelled again = LabelConfig.parse("c2", "web2", Map.of(LabelConfig.ENABLE, "true",
                LabelConfig.HOST, "b.example.com", LabelConfig.PORT, "80")).orElseThrow();
        ConfigException twice = catchThrowableOfType(ConfigException.class,
                () -> ConfigMerge.withLabels(base, List.of(labelled, again)));
        assertThat(twice.reason()).contains("route b.example.com/ is also declared by labels of container web");
        assertThat(Optional.of(merged.tls())).contains(Optional.empty());
    }
}
