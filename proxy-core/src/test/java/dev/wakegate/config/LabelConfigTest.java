package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wakegate.config.LabelConfig.Labelled;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabelConfigTest {

    @Test
    void readsEveryLabel() throws ConfigException {
        Labelled l = LabelConfig.parse("stack_grafana_1", "grafana", Map.of(
                "wakegate.enable", "true",
                "wakegate.route", "/grafana, /dashboards/",
                "wakegate.upstream", "127.0.0.1:3000",
                "wakegate.priority", "high",
                "wakegate.health", "/api/health",
                "wakegate.depends_on", "prometheus,loki",
                "wakegate.idle_timeout", "15m",
                "wakegate.waiting_page", "false",
                "com.docker.compose.service", "grafana")).orElseThrow();

        assertThat(l.spec()).isEqualTo(new ContainerSpec("grafana", Priority.HIGH,
                Optional.of(new HostPort("127.0.0.1", 3000)), HealthProbe.http("/api/health"),
                List.of("prometheus", "loki"), Optional.of(Duration.ofMinutes(15)), true));
        HostPort up = new HostPort("127.0.0.1", 3000);
        assertThat(l.routes()).containsExactly(
                new RouteSpec("/grafana", List.of("grafana"), up, "grafana", false),
                new RouteSpec("/dashboards", List.of("grafana"), up, "grafana", false));
    }

    @Test
    void portMeansTheComposeServiceOnThatPort() throws ConfigException {
        Labelled l = LabelConfig.parse("stack_kibana_1", "kibana",
                Map.of("wakegate.enable", "true", "wakegate.port", "5601", "wakegate.route", "/logs",
                        "wakegate.health", "tcp")).orElseThrow();

        assertThat(l.spec().upstream()).contains(new HostPort("kibana", 5601));
        assertThat(l.spec().health()).isEqualTo(HealthProbe.TCP);
        assertThat(l.spec().priority()).isEqualTo(Priority.NORMAL);
        assertThat(l.routes()).singleElement().satisfies(r -> assertThat(r.waitingPage()).isTrue());
    }

    @Test
    void portMeansTheContainerNameWithoutAComposeService() throws ConfigException {
        Labelled l = LabelConfig.parse("kibana-dev", null,
                Map.of("wakegate.enable", "true", "wakegate.port", "5601")).orElseThrow();

        assertThat(l.spec().name()).isEqualTo("kibana-dev");
        assertThat(l.spec().upstream()).contains(new HostPort("kibana-dev", 5601));
        assertThat(l.routes()).isEmpty();
    }

    @Test
    void containersWithoutEnableAreNotManaged() throws ConfigException {
        assertThat(LabelConfig.parse("x", null, Map.of("wakegate.route", "/x"))).isEmpty();
        assertThat(LabelConfig.parse("x", null, Map.of("wakegate.enable", "false", "wakegate.route", "/x"))).isEmpty();
    }

    @Test
    void testMarkerAndForeignLabelsAreTolerated() throws ConfigException {
        assertThat(LabelConfig.parse("x", null, Map.of("wakegate.enable", "true", "wakegate.test", "true",
                "org.opencontainers.image.title", "x"))).isPresent();
    }

    private static ConfigException refuse(String label, String value) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of("wakegate.enable", "true", "wakegate.port", "80"));
        if (label.equals("wakegate.upstream")) {
            labels.remove("wakegate.port");
        }
        labels.put(label, value);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("web-1", "web", labels));
        assertThat(e).as("%s=%s refused", label, value).isNotNull();
        assertThat(e.file()).isEqualTo("labels of container web-1");
        assertThat(e.key()).isEqualTo(label);
        return e;
    }

    @Test
    void refusesBadLabelsNamingContainerAndLabel() {
        assertThat(refuse("wakegate.priority", "urgent").reason()).contains("urgent");
        assertThat(refuse("wakegate.upstream", "nohost").reason()).contains("HOST:PORT");
        assertThat(refuse("wakegate.health", "grpc").reason()).contains("/healthz or 'tcp'");
        assertThat(refuse("wakegate.idle_timeout", "15 minutes").reason()).contains("15 minutes");
        assertThat(refuse("wakegate.waiting_page", "nope").reason()).contains("true or false");
        assertThat(refuse("wakegate.route", "grafana").reason()).contains("must start with '/'");
        assertThat(refuse("wakegate.route", "/a,/a/").reason()).contains("listed twice");
        assertThat(refuse("wakegate.depends_on", "a b").reason()).contains("not a valid container name");
        assertThat(refuse("wakegate.rout", "/x").reason()).contains("unknown wakegate label");
    }

    @Test
    void refusesBothUpstreamAndPort() {
        Map<String, String> labels = Map.of("wakegate.enable", "true", "wakegate.port", "80",
                "wakegate.upstream", "127.0.0.1:80");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("web-1", null, labels));
        assertThat(e.key()).isEqualTo("wakegate.port");
        assertThat(e.reason()).contains("not both");
    }

    @Test
    void refusesPortThatIsNotANumber() {
        Map<String, String> labels = Map.of("wakegate.enable", "true", "wakegate.port", "http");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("web-1", null, labels));
        assertThat(e.key()).isEqualTo("wakegate.port");
        assertThat(e.reason()).contains("not a number");
    }

    @Test
    void refusesRouteWithoutAnAddress() {
        Map<String, String> labels = Map.of("wakegate.enable", "true", "wakegate.route", "/x");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("web-1", null, labels));
        assertThat(e.file()).isEqualTo("labels of container web-1");
        assertThat(e.key()).isEqualTo("wakegate.route");
        assertThat(e.reason()).contains("wakegate.upstream").contains("wakegate.port");
    }

    @Test
    void readsTheSleepLabels() throws ConfigException {
        Labelled l = LabelConfig.parse("jobs_1", null, Map.of(
                "wakegate.enable", "true",
                "wakegate.upstream", "127.0.0.1:9000",
                "wakegate.sleep", "pause",
                "wakegate.keep_awake", "mon-fri 08:00-18:00; sat,sun 10:00-12:00",
                "wakegate.idle_veto", "/busy")).orElseThrow();
        SleepPolicy p = l.spec().sleep();
        assertThat(p.mode()).isEqualTo(SleepMode.PAUSE);
        assertThat(p.keepAwake()).extracting(KeepAwakeWindow::text)
                .containsExactly("mon-fri 08:00-18:00", "sat,sun 10:00-12:00");
        assertThat(p.idleVeto()).contains(new IdleVeto("/busy"));
    }

    @Test
    void refusesBadSleepLabelsNamingTheLabel() {
        assertThat(refuse("wakegate.sleep", "hibernate").reason()).contains("expected stop or pause");
        assertThat(refuse("wakegate.keep_awake", "mon-fri 08:00-18:00; later").reason()).contains("'later' is not a window");
        assertThat(refuse("wakegate.idle_veto", "busy").reason()).contains("/busy");
        ConfigException noUpstream = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("c", null,
                Map.of("wakegate.enable", "true", "wakegate.idle_veto", "/busy")));
        assertThat(noUpstream.key()).isEqualTo("wakegate.idle_veto");
        assertThat(noUpstream.reason()).contains("wakegate.upstream");
    }
}
