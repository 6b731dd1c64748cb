package dev.wakegate.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The environment variables that override the config file (docs/configuration.md, "Environment
 * variables"). A bare number is in the unit each variable has always had: minutes for the three
 * idle timeouts, seconds for the startup timeout and the health-check interval (a value with a
 * unit, such as {@code 90s}, is read as a duration instead). An empty value counts
 * as unset, as Compose's {@code VAR=} means. A bad value is refused naming the variable, with
 * "environment" as the file.
 */
public final class EnvOverrides {
    public static final String FILE = "environment";

    public static final String AUTO_START = "CONTAINER_AUTO_START";
    public static final String AUTO_STOP = "CONTAINER_AUTO_STOP";
    public static final String IDLE_TIMEOUT = "CONTAINER_IDLE_TIMEOUT";
    public static final String HIGH_IDLE_TIMEOUT = "CONTAINER_HIGH_IDLE_TIMEOUT";
    public static final String LOW_IDLE_TIMEOUT = "CONTAINER_LOW_IDLE_TIMEOUT";
    public static final String STARTUP_TIMEOUT = "CONTAINER_STARTUP_TIMEOUT";
    public static final String HEALTH_CHECK_INTERVAL = "CONTAINER_HEALTH_CHECK_INTERVAL";
    public static final String REDIS_URL = "REDIS_URL";
    public static final String DOCKER_HOST = "DOCKER_HOST";
    public static final String ADMIN_TOKEN = "WAKEGATE_ADMIN_TOKEN";
    public static final String LISTEN = "WAKEGATE_LISTEN";
    public static final String LOG_JSON = "WAKEGATE_LOG_JSON";

    /**
     * Every variable {@link #apply} reads (a test checks that it reads no other), for the lists in
     * {@code --help} and docs/configuration.md.
     */
    public static final List<String> VARIABLES = List.of(AUTO_START, AUTO_STOP, IDLE_TIMEOUT, HIGH_IDLE_TIMEOUT,
            LOW_IDLE_TIMEOUT, STARTUP_TIMEOUT, HEALTH_CHECK_INTERVAL, REDIS_URL, DOCKER_HOST, ADMIN_TOKEN, LISTEN,
            LOG_JSON);

    private EnvOverrides() {
    }

    /** {@code config} with every variable set in {@code env} applied on top. */
    public static ProxyConfig apply(ProxyConfig config, Map<String, String> env) throws ConfigException {
        AutomationSettings a = config.automation();
        AutomationSettings automation = new AutomationSettings(
                bool(env, AUTO_START, a.autoStart()),
                bool(env, AUTO_STOP, a.autoStop()),
                duration(env, IDLE_TIMEOUT, ChronoUnit.MINUTES, a.idleTimeout()),
                duration(env, HIGH_IDLE_TIMEOUT, ChronoUnit.MINUTES, a.highIdleTimeout()),
                duration(env, LOW_IDLE_TIMEOUT, ChronoUnit.MINUTES, a.lowIdleTimeout()),
                duration(env, STARTUP_TIMEOUT, ChronoUnit.SECONDS, a.startupTimeout()),
                duration(env, HEALTH_CHECK_INTERVAL, ChronoUnit.SECONDS, a.healthCheckInterval()),
                a.idleCheckInterval(),
                a.maxStopsPerCycle(),
                a.minRunning(),
                a.timezone(),
                a.noWake(),
                a.minFreeMemory()); // no variable: YAML only, like the other keys newer than the CONTAINER_* set

        Optional<String> redis = config.redisUrl();
        String redisEnv = value(env, REDIS_URL);
        if (redisEnv != null) {
            ConfigLoader.checkRedisUrl(FILE, REDIS_URL, redisEnv);
            redis = Optional.of(redisEnv);
        }
        String dockerHost = config.dockerHost();
        String dockerEnv = value(env, DOCKER_HOST);
        if (dockerEnv != null) {
            ConfigLoader.checkDockerHost(FILE, DOCKER_HOST, dockerEnv);
            dockerHost = dockerEnv;
        }
        Optional<String> token = config.adminToken();
        String tokenEnv = value(env, ADMIN_TOKEN);
        if (tokenEnv != null) {
            token = Optional.of(tokenEnv);
        }
        HostPort listen = config.listen();
        String listenEnv = value(env, LISTEN);
        if (listenEnv != null) {
            try {
                listen = HostPort.parse(listenEnv);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(FILE, LISTEN, String.valueOf(e.getMessage()));
            }
            for (TcpSpec t : config.tcp()) {
                if (t.listen().equals(listen)) {
                    throw new ConfigException(FILE, LISTEN, "a tcp: entry already listens on " + listen);
                }
            }
            if (config.tls().isPresent() && config.tls().get().listen().equals(listen)) {
                throw new ConfigException(FILE, LISTEN, "the HTTPS listener (tls.listen) already uses " + listen);
            }
        }
        boolean json = bool(env, LOG_JSON, config.jsonLogs());

        return config.toBuilder().listen(listen).automation(automation).state(config.state().withRedis(redis))
                .dockerHost(dockerHost).adminToken(token).jsonLogs(json).build();
    }

    private static @Nullable String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) throws ConfigException {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(FILE, name, "expected true or false, got '" + v + "'");
        };
    }

    private static Duration duration(Map<String, String> env, String name, ChronoUnit unit, Duration fallback)
            throws ConfigException {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        Duration d;
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                d = Duration.of(Long.parseLong(v), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConfigException(FILE, name, "'" + v + "' is too large");
            }
        } else {
            try {
                d = Durations.parse(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(FILE, name, "expected a whole number of "
                        + unit.toString().toLowerCase(Locale.ROOT) + " (or a duration like 90s): " + String.valueOf(e.getMessage()));
            }
        }
        if (d.isZero()) {
            throw new ConfigException(FILE, name, "must be greater than zero");
        }
        return d;
    }
}
