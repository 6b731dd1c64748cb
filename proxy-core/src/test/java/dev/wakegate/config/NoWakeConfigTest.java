package dev.wakegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code automation.no_wake}, {@code routes[].no_wake} and {@code routes[].waiting_page: FILE}: read, defaulted, refused. */
class NoWakeConfigTest {
    private static final String ROUTE = "containers: { app: { upstream: 127.0.0.1:9 } }\nroutes:\n  - { path: /, containers: [app]";

    private static ProxyConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "w.yml", Map.of());
    }

    private static ConfigException refuse(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("refused: %s", yaml).isNotNull();
        assertThat(e.file()).isEqualTo("w.yml");
        return e;
    }

    @Test
    void builtInListWhenNotSetAndRoutesInheritIt() throws ConfigException {
        ProxyConfig c = parse(ROUTE + " }");
        assertThat(c.automation().noWake()).isEqualTo(NoWake.DEFAULTS);
        assertThat(c.automation().noWake().paths()).containsExactly("/favicon.ico", "/robots.txt");
        assertThat(c.automation().noWake().userAgents()).contains("UptimeRobot", "Googlebot");
        assertThat(c.routes().get(0).noWake()).isNull(); // inherits
    }

    @Test
    void settingItReplacesTheBuiltInListWholeAndEmptyTurnsItOff() throws ConfigException {
        ProxyConfig c = parse("automation: { no_wake: { paths: [/healthz, /status/*], methods: [head] } }\n" + ROUTE + " }");
        assertThat(c.automation().noWake()).isEqualTo(new NoWake(List.of(), List.of("/healthz", "/status/*"), List.of("HEAD")));
        assertThat(parse("automation: { no_wake: {} }\n" + ROUTE + " }").automation().noWake()).isEqualTo(NoWake.NONE);
    }

    @Test
    void aRoutesOwnNoWakeReplacesTheGlobalOne() throws ConfigException {
        ProxyConfig c = parse(ROUTE + ", no_wake: { user_agents: [\"^curl/\"] } }");
        assertThat(c.routes().get(0).noWake()).isEqualTo(new NoWake(List.of("^curl/"), List.of(), List.of()));
        assertThat(c.automation().noWake()).isEqualTo(NoWake.DEFAULTS);
    }

    @Test
    void refusesABadRegexAPathAndAMethodWithTheirKeys() {
        ConfigException regex = refuse("automation: { no_wake: { user_agents: [ok, \"(unclosed\"] } }\n" + ROUTE + " }");
        assertThat(regex.key()).isEqualTo("automation.no_wake.user_agents[1]");
        assertThat(regex.reason()).contains("not a valid regular expression");
        ConfigException path = refuse(ROUTE + ", no_wake: { paths: [favicon.ico] } }");
        assertThat(path.key()).isEqualTo("routes[0].no_wake.paths[0]");
        assertThat(path.reason()).contains("must start with /");
        ConfigException method = refuse(ROUTE + ", no_wake: { methods: [\"GET /\"] } }");
        assertThat(method.key()).isEqualTo("routes[0].no_wake.methods[0]");
        ConfigException unknown = refuse(ROUTE + ", no_wake: { agents: [x] } }");
        assertThat(unknown.key()).isEqualTo("routes[0].no_wake.agents");
    }

    @Test
    void waitingPageStaysABooleanAndMayNameATemplateFile(@TempDir Path dir) throws Exception {
        assertThat(parse(ROUTE + ", waiting_page: false }").routes().get(0).waitingPage()).isFalse();
        assertThat(parse(ROUTE + " }").routes().get(0).waitingTemplate()).isNull();

        Path template = dir.resolve("page.html");
        Files.writeString(template, "<h1>Brand</h1>{{status}}{{containers}}{{script}}");
        Path config = dir.resolve("wakegate.yml");
        Files.writeString(config, ROUTE + ", waiting_page: page.html }");
        RouteSpec r = ConfigLoader.load(config, Map.of()).routes().get(0);
        assertThat(r.waitingPage()).isTrue();
        assertThat(r.waitingTemplate()).isEqualTo("<h1>Brand</h1>{{status}}{{containers}}{{script}}");
    }

    @Test
    void refusesATemplateThatIsMissingNotUtf8OrNeverTurnsIntoTheSite(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("wakegate.yml");
        Files.writeString(config, ROUTE + ", waiting_page: nope.html }");
        assertThat(refuseFile(config).reason()).contains("cannot read the template");

        Files.write(dir.resolve("latin1.html"), "caf\u00e9 {{script}}".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(config, ROUTE + ", waiting_page: latin1.html }");
        assertThat(refuseFile(config).reason()).contains("not UTF-8");

        Files.writeString(dir.resolve("static.html"), "<h1>Please wait</h1>");
        Files.writeString(config, ROUTE + ", waiting_page: static.html }");
        ConfigException e = refuseFile(config);
        assertThat(e.key()).isEqualTo("routes[0].waiting_page");
        assertThat(e.reason()).contains("neither {{script}} nor {{refresh}}");
    }

    private static ConfigException refuseFile(Path config) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(config, Map.of()));
        assertThat(e).isNotNull();
        return e;
    }
}
