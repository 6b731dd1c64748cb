package dev.wakegate.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.ConfigMerge;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.config.TlsSettings;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checks docker/edge/ (the HTTPS edge example of docs/edge.md): compose accepts it, and what
 * wakegate would read from it (wakegate.yml, the labels, merged) routes two host names over TLS
 * with certbot's certificates, and the ACME challenge path of both names to the webroot server.
 */
@Tag("docker")
class EdgeComposeFileTest {
    static JsonNode services;
    static ProxyConfig merged;

    @BeforeAll
    static void render() throws Exception {
        Path compose = ComposeFiles.docker("edge/docker-compose.yml");
        ComposeFiles.Result r = ComposeFiles.config(Map.of("DOCKER_GID", "999"), compose);
        assertThat(r.exitCode()).as("docker-compose config failed: %s", r.stderr()).isZero();
        services = r.yaml().path("services");

        Path yaml = ComposeFiles.docker("edge/wakegate.yml");
        // parse, not load: the certificates exist only once certbot ran
        ProxyConfig base = ConfigLoader.parse(Files.readString(yaml), yaml.toString(), Map.of());
        List<LabelConfig.Labelled> labelled = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            Map<String, String> labels = new HashMap<>();
            s.getValue().path("labels").fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
            LabelConfig.parse("edge_" + s.getKey() + "_1", s.getKey(), labels).ifPresent(labelled::add);
        }
        merged = ConfigMerge.withLabels(base, labelled);
    }

    @Test
    void servesTwoHostNamesOverTlsAndRedirectsPlainHttp() {
        TlsSettings tls = merged.tls().orElseThrow();
        assertThat(tls.redirectHttp()).isTrue();
        assertThat(tls.httpsPort()).isEqualTo(443);
        assertThat(tls.hsts()).contains(Duration.ofDays(180));
        assertThat(texts(services.path("wakegate").path("ports")))
                .anySatisfy(p -> assertThat(p).contains("443").contains(String.valueOf(tls.listen().port())));

        HostRouter router = Route.compile(merged.routes());
        assertThat(router.find("app.example.com", "/dashboard").containers()).containsExactly("app");
        assertThat(router.find("blog.example.com", "/2026/11/hello").containers()).containsExactly("blog");
        assertThat(router.find("BLOG.example.com:443", "/").containers()).containsExactly("blog");
        assertThat(router.find("other.example.com", "/")).isNull();
    }

    @Test
    void bothNamesRouteAcmeChallengesToTheWebrootThatCertbotWrites() {
        HostRouter router = Route.compile(merged.routes());
        for (String host : List.of("app.example.com", "blog.example.com")) {
            assertThat(router.find(host, "/.well-known/acme-challenge/abc").containers()).containsExactly("acme");
        }
        String webroot = "/var/www/certbot";
        assertThat(texts(services.path("certbot").path("volumes"))).anySatisfy(v -> assertThat(v).contains(":" + webroot).doesNotEndWith(":ro"));
        assertThat(texts(services.path("acme").path("volumes"))).anySatisfy(v -> assertThat(v).contains(webroot));
        assertThat(services.path("certbot").path("entrypoint").toString()).contains("--webroot -w " + webroot);
    }

    @Test
    void wakegateReadsCertbotsLiveFilesFromTheSharedVolume() {
        List<String> wakegate = texts(services.path("wakegate").path("volumes"));
        List<String> certbot = texts(services.path("certbot").path("volumes"));
        assertThat(wakegate).anySatisfy(v -> assertThat(v).startsWith("letsencrypt:/etc/letsencrypt").endsWith(":ro"));
        assertThat(certbot).anySatisfy(v -> assertThat(v).startsWith("letsencrypt:/etc/letsencrypt"));
        for (TlsSettings.CertificateFiles c : merged.tls().orElseThrow().certificates()) {
            assertThat(c.cert().toString()).startsWith("/etc/letsencrypt/live/");
            assertThat(c.key().toString()).startsWith("/etc/letsencrypt/live/");
        }
    }

    /** Compose 1.29 renders short-syntax volumes and ports as strings or mappings; both as text. */
    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : list) {
            if (v.isTextual()) {
                out.add(v.asText());
            } else if (v.has("source")) {
                out.add(v.path("source").asText() + ":" + v.path("target").asText() + (v.path("read_only").asBoolean() ? ":ro" : ""));
            } else {
                out.add(v.path("published").asText() + ":" + v.path("target").asText());
            }
        }
        return out;
    }
}
