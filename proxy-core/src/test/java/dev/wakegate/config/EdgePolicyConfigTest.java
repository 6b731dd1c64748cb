package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wakegate.config.AccessLogSettings.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code access_log}, {@code trusted_proxies}, {@code limits.max_body} and a route's {@code max_body}, {@code allow}, {@code deny}. */
class EdgePolicyConfigTest {
    private static final String FILE = "wakegate.yml";
    private static final String ROUTE = "routes: [ { path: /, upstream: 127.0.0.1:1 } ]\n";

    @TempDir
    Path dir;

    private static ConfigException refuse(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of()));
        assertThat(e).as("refused: %s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith(FILE + ": " + e.key() + ": ");
        return e;
    }

    @Test
    void theAccessLogIsOffWhenAbsentAndStdoutCombinedWhenEmpty() throws ConfigException {
        assertThat(ConfigLoader.parse(ROUTE, FILE, Map.of()).accessLog()).isEmpty();
        assertThat(ConfigLoader.parse(ROUTE + "access_log: {}", FILE, Map.of()).accessLog())
                .contains(AccessLogSettings.STDOUT_COMBINED);
    }

    @Test
    void anAccessLogFileIsRelativeToTheConfigFile() throws Exception {
        Path config = dir.resolve("wakegate.yml");
        Files.writeString(config, ROUTE + "access_log: { path: logs/access.log, format: json }\n");
        Files.createDirectory(dir.resolve("logs"));
        AccessLogSettings a = ConfigLoader.load(config, Map.of()).accessLog().orElseThrow();
        assertThat(a.file()).contains(dir.resolve("logs/access.log").toAbsolutePath());
        assertThat(a.format()).isEqualTo(Format.JSON);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "access_log: { format: clf }                   | access_log.format | unknown format 'clf' (expected combined or json)",
            "access_log: { path: /no/such/dir/access.log } | access_log.path   | the directory of '/no/such/dir/access.log' does not exist",
            "access_log: { path: /tmp }                    | access_log.path   | '/tmp' is a directory, not a file",
            "access_log: stdout                            | access_log        | expected a mapping",
            "trusted_proxies: [10.0.0.0/8, 10.0.0.1/8]     | trusted_proxies[1] | has bits set beyond its prefix (did you mean 10.0.0.0/8?)",
            "trusted_proxies: [proxy.local]                | trusted_proxies[0] | 'proxy.local' is not an IP address or CIDR block",
            "trusted_proxies: [10.0.0.0/33]                | trusted_proxies[0] | has a prefix length outside 0 to 32",
            "trusted_proxies: ['fd00::/129']               | trusted_proxies[0] | has a prefix length outside 0 to 128",
            "limits: { max_body: 0 }                       | limits.max_body   | must be between 1 and",
            "limits: { max_body: 1TiB }                    | limits.max_body   | unknown size unit",
    })
    void refusesABadValueNamingTheKey(String yaml, String key, String reason) {
        ConfigException e = refuse(ROUTE + yaml);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "allow: [300.1.1.1]     | routes[0].allow[0] | is not an IP address",
            "deny: [1.2.3.4, x]     | routes[0].deny[1]  | 'x' is not an IP address",
            "max_body: -5           | routes[0].max_body | must be between 1 and",
    })
    void refusesABadRouteValueNamingTheKey(String entry, String key, String reason) {
        ConfigException e = refuse("routes: [ { path: /, upstream: 127.0.0.1:1, " + entry + " } ]");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @Test
    void readsLimitsAndTheRouteLists() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("""
                trusted_proxies: [127.0.0.1, "fd00::/8"]
                limits: { max_body: 10MiB }
                routes:
                  - { path: /up, upstream: 127.0.0.1:1, max_body: 1GiB, allow: [10.0.0.0/8], deny: [10.0.0.9] }
                """, FILE, Map.of());
        assertThat(c.trustedProxies().blocks()).containsExactly("127.0.0.1", "fd00::/8");
        assertThat(c.trustedProxies().coversLoopback()).isTrue();
        assertThat(c.limits().maxBody()).isEqualTo(10L << 20);
        RouteSpec r = c.routes().get(0);
        assertThat(r.maxBody()).isEqualTo(1L << 30);
        assertThat(r.allow().blocks()).containsExactly("10.0.0.0/8");
        assertThat(r.deny().blocks()).containsExactly("10.0.0.9");
        assertThat(ConfigLoader.defaults().limits().maxBody()).isZero();
        assertThat(ConfigLoader.defaults().trustedProxies().isEmpty()).isTrue();
    }
}
