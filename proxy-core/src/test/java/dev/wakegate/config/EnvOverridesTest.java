package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

    private static final String YAML = """
            listen: 127.0.0.1:8000
            automation:
              auto_start: true
              auto_stop: true
              idle_timeout: 1m
              high_idle_timeout: 2m
              low_idle_timeout: 3m
              startup_timeout: 4s
              health_check_interval: 5s
            state: { redis: redis://127.0.0.1:6379 }
            docker: { host: unix:///var/run/docker.sock }
            logging: { json: false }
            """;

    private static ProxyConfig parse(Map<String, String> env) throws ConfigException {
        return ConfigLoader.parse(YAML, "f.yml", env);
    }

    @Test
    void environmentWinsOverTheFileWithBareNumbersInMinutesOrSeconds() throws ConfigException {
        ProxyConfig c = parse(Map.ofEntries(
                Map.entry("CONTAINER_AUTO_START", "false"),
                Map.entry("CONTAINER_AUTO_STOP", "false"),
                Map.entry("CONTAINER_IDLE_TIMEOUT", "30"),
                Map.entry("CONTAINER_HIGH_IDLE_TIMEOUT", "120"),
                Map.entry("CONTAINER_LOW_IDLE_TIMEOUT", "10"),
                Map.entry("CONTAINER_STARTUP_TIMEOUT", "60"),
                Map.entry("CONTAINER_HEALTH_CHECK_INTERVAL", "30"),
                Map.entry("REDIS_URL", "redis://10.0.0.1:6380/1"),
                Map.entry("DOCKER_HOST", "tcp://127.0.0.1:2375"),
                Map.entry("WAKEGATE_ADMIN_TOKEN", "s3cret"),
                Map.entry("WAKEGATE_LISTEN", "127.0.0.1:9000"),
                Map.entry("WAKEGATE_LOG_JSON", "true")));

        AutomationSettings a = c.automation();
        assertThat(a.autoStart()).isFalse();
        assertThat(a.autoStop()).isFalse();
        assertThat(a.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(a.highIdleTimeout()).isEqualTo(Duration.ofMinutes(120));
        assertThat(a.lowIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(a.healthCheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.redisUrl()).contains("redis://10.0.0.1:6380/1");
        assertThat(c.dockerHost()).isEqualTo("tcp://127.0.0.1:2375");
        assertThat(c.adminToken()).contains("s3cret");
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 9000));
        assertThat(c.jsonLogs()).isTrue();
    }

    @Test
    void unsetOrEmptyVariablesLeaveTheFileAlone() throws ConfigException {
        ProxyConfig c = parse(Map.of("CONTAINER_IDLE_TIMEOUT", "", "REDIS_URL", " "));

        assertThat(c.automation().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.automation().startupTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.redisUrl()).contains("redis://127.0.0.1:6379");
        assertThat(c.adminToken()).isEmpty();
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 8000));
    }

    @Test
    void aValueWithAUnitIsReadAsADuration() throws ConfigException {
        ProxyConfig c = parse(Map.of("CONTAINER_IDLE_TIMEOUT", "90s", "CONTAINER_STARTUP_TIMEOUT", "2m"));

        assertThat(c.automation().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.automation().startupTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void environmentAloneOverridesTheDefaults() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("routes: []", "f.yml", Map.of("CONTAINER_LOW_IDLE_TIMEOUT", "1"));

        assertThat(c.automation().lowIdleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.automation().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    private static ConfigException refuse(String variable, String value) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of(variable, value)));
        assertThat(e).as("%s=%s refused", variable, value).isNotNull();
        assertThat(e.file()).isEqualTo("environment");
        assertThat(e.key()).isEqualTo(variable);
        return e;
    }

    @Test
    void refusesBadBooleanNamingTheVariable() {
        assertThat(refuse("CONTAINER_AUTO_START", "perhaps").reason()).contains("true or false").contains("perhaps");
        assertThat(refuse("WAKEGATE_LOG_JSON", "json").reason()).contains("true or false");
    }

    @Test
    void refusesBadTimeoutNamingTheVariable() {
        assertThat(refuse("CONTAINER_IDLE_TIMEOUT", "thirty").reason()).contains("minutes");
        assertThat(refuse("CONTAINER_STARTUP_TIMEOUT", "-5").reason()).contains("seconds");
        assertThat(refuse("CONTAINER_HIGH_IDLE_TIMEOUT", "0").reason()).contains("greater than zero");
    }

    @Test
    void refusesBadAddressesNamingTheVariable() {
        assertThat(refuse("WAKEGATE_LISTEN", "8000").reason()).contains("HOST:PORT");
        assertThat(refuse("REDIS_URL", "localhost:6379").reason()).contains("redis://");
        assertThat(refuse("DOCKER_HOST", "/var/run/docker.sock").reason()).contains("unix://");
    }
}
