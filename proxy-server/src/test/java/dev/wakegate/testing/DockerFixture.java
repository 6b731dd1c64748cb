package dev.wakegate.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real Docker containers for integration tests (lifecycle, compose, e2e, benchmarks), made with
 * docker-java from the local image {@value #IMAGE} (built by {@code scripts/setup-machine.sh}).
 *
 * <p>Every container it makes has a unique name starting {@value #NAME_PREFIX}, the label
 * {@code wakegate.test=true}, host networking (servers listen on 127.0.0.1 only) and docker-init
 * as PID 1 so a stop takes milliseconds, not the grace period. {@link #removeAll()} (also run by
 * {@link #close()}) removes exactly the containers this fixture made. Containers are created,
 * not started: tests start them through the code under test or {@link #start(String)}.
 *
 * <pre>{@code
 * try (DockerFixture docker = new DockerFixture()) {
 *     int port = Loopback.freePort();
 *     String app = docker.httpServer("app", port, Duration.ofMillis(300));
 *     ...
 * }
 * }</pre>
 */
public final class DockerFixture implements AutoCloseable {

    public static final String IMAGE = "wakegate/busybox:1";
    public static final String TEST_LABEL = "wakegate.test";
    public static final String NAME_PREFIX = "wakegate-test-";
    public static final String SERVICE_LABEL = "com.docker.compose.service";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String dockerHost;
    private final DockerClient client;
    private final Set<String> created = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Instant createdAt = Instant.now();

    /** Uses {@code DOCKER_HOST}, else {@code unix:///var/run/docker.sock}. */
    public DockerFixture() {
        this(defaultHost());
    }

    public DockerFixture(String dockerHost) {
        this.dockerHost = dockerHost;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(60))
                .build());
        requireImage();
    }

    public static String defaultHost() {
        String env = System.getenv("DOCKER_HOST");
        return env == null || env.isBlank() ? "unix:///var/run/docker.sock" : env;
    }

    private void requireImage() {
        try {
            client.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("docker image " + IMAGE
                    + " is missing: run scripts/setup-machine.sh to build it", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("docker engine unreachable at " + dockerHost + " (" + e
                    + "): run scripts/setup-machine.sh to start it", e);
        }
    }

    public String dockerHost() {
        return dockerHost;
    }

    /** The raw client, for what the helpers do not cover. Containers made with it are not tracked. */
    public DockerClient client() {
        return client;
    }

    /** When this fixture was made; the default lower bound of {@link #countEvents}. */
    public Instant createdAt() {
        return createdAt;
    }

    // ---- making containers ----

    /** A Docker HEALTHCHECK. Durations are sent to the engine in nanoseconds. */
    public record Healthcheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {

        public static final Duration FAST_INTERVAL = Duration.ofMillis(200);

        /** {@code CMD-SHELL script}, every 200ms, 1s timeout, 3 retries, no start period. */
        public static Healthcheck shell(String script) {
            return new Healthcheck(List.of("CMD-SHELL", script), FAST_INTERVAL, Duration.ofSeconds(1), 3, Duration.ZERO);
        }

        /** Healthy when {@code GET http://127.0.0.1:port/} answers 2xx. */
        public static Healthcheck httpGet(int port) {
            return shell("wget -q -O /dev/null http://127.0.0.1:" + port + "/ || exit 1");
        }

        public Healthcheck withInterval(Duration d) {
            return new Healthcheck(test, d, timeout, retries, startPeriod);
        }

        public Healthcheck withRetries(int n) {
            return new Healthcheck(test, interval, timeout, n, startPeriod);
        }

        public Healthcheck withStartPeriod(Duration d) {
            return new Healthcheck(test, interval, timeout, retries, d);
        }

        HealthCheck toDocker() {
            return new HealthCheck().withTest(test).withInterval(interval.toNanos()).withTimeout(timeout.toNanos())
                    .withRetries(retries).withStartPeriod(startPeriod.toNanos());
        }
    }

    /** Builder for one test container; {@link #create()} makes it (stopped) and returns its name. */
    public final class Spec {
        private final String name;
        private String image = IMAGE;
        private List<String> cmd = List.of("sleep", "3600");
        private Healthcheck healthcheck;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private boolean init = true;

        private Spec(String name) {
            this.name = name;
        }

        public Spec cmd(String... cmd) {
            this.cmd = List.of(cmd);
            return this;
        }

        /** Runs {@code sh -c script}. */
        public Spec shell(String script) {
            return cmd("sh", "-c", script);
        }

        public Spec healthcheck(Healthcheck hc) {
            this.healthcheck = hc;
            return this;
        }

        public Spec label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Spec labels(Map<String, String> more) {
            labels.putAll(more);
            return this;
        }

        /** Marks the container as compose service {@code service} (label {@value #SERVICE_LABEL}). */
        public Spec composeService(String service) {
            return label(SERVICE_LABEL, service);
        }

        public Spec image(String image) {
            this.image = image;
            return this;
        }

        /** Without docker-init as PID 1 (then sh ignores SIGTERM and a stop takes the grace period). */
        public Spec withoutInit() {
            this.init = false;
            return this;
        }

        public String create() {
            Map<String, String> all = new LinkedHashMap<>(labels);
            all.put(TEST_LABEL, "true");
            CreateContainerCmd cmd = client.createContainerCmd(image)
                    .withName(name)
                    .withCmd(this.cmd)
                    .withLabels(all)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withInit(init));
            if (healthcheck != null) {
                cmd.withHealthcheck(healthcheck.toDocker());
            }
            created.add(name);
            try {
                cmd.exec();
            } catch (RuntimeException e) {
                created.remove(name);
                throw e;
            }
            return name;
        }
    }

    /** {@code wakegate-test-<hint>-<unique>}: unique across fixtures, runs and JVMs. */
    public static String uniqueName(String hint) {
        String clean = hint == null ? "c" : hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        return NAME_PREFIX + clean + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A container with a unique name from {@code hint}. */
    public Spec container(String hint) {
        return new Spec(uniqueName(hint));
    }

    /** A container with exactly this name (must start with {@value #NAME_PREFIX}). */
    public Spec containerNamed(String name) {
        if (!name.startsWith(NAME_PREFIX)) {
            throw new IllegalArgumentException("test container names start with " + NAME_PREFIX + ": " + name);
        }
        return new Spec(name);
    }

    /** Shell script: after {@code startupDelay}, busybox httpd serving "ok" on 127.0.0.1:port. */
    public static String httpServerScript(int port, Duration startupDelay) {
        String sleep = startupDelay == null || startupDelay.isZero() ? ""
                : "sleep " + String.format(Locale.ROOT, "%.3f", startupDelay.toMillis() / 1000.0) + "; ";
        return sleep + "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 127.0.0.1:" + port + " -h /www";
    }

    /** An HTTP server on 127.0.0.1:port (after {@code startupDelay}) with an HTTP HEALTHCHECK every 200ms. */
    public String httpServer(String hint, int port, Duration startupDelay) {
        return container(hint).shell(httpServerScript(port, startupDelay)).healthcheck(Healthcheck.httpGet(port)).create();
    }

    /** The same HTTP server, without a HEALTHCHECK (readiness then comes from probes). */
    public String httpServerWithoutHealthcheck(String hint, int port, Duration startupDelay) {
        return container(hint).shell(httpServerScript(port, startupDelay)).create();
    }

    /** Exits with {@code exitCode} right after it starts. */
    public String exitingContainer(String hint, int exitCode) {
        return container(hint).shell("exit " + exitCode).create();
    }

    /** Runs, but its HEALTHCHECK always fails (unhealthy after 2 checks at 200ms). */
    public String neverHealthy(String hint) {
        return container(hint).cmd("sleep", "3600").healthcheck(Healthcheck.shell("exit 1").withRetries(2)).create();
    }

    /** Runs {@code sleep} and has no HEALTHCHECK. */
    public String sleeper(String hint) {
        return container(hint).cmd("sleep", "3600").create();
    }

    // ---- acting on containers ----

    public void start(String name) {
        try {
            client.startContainerCmd(name).exec();
        } catch (NotModifiedException alreadyRunning) {
            // fine
        }
    }

    public void stop(String name) {
        try {
            client.stopContainerCmd(name).withTimeout(2).exec();
        } catch (NotModifiedException alreadyStopped) {
            // fine
        }
    }

    public InspectContainerResponse inspect(String name) {
        return client.inspectContainerCmd(name).exec();
    }

    /** Engine state ("created", "running", "exited", ...), or "missing". */
    public String status(String name) {
        try {
            return inspect(name).getState().getStatus();
        } catch (NotFoundException e) {
            return "missing";
        }
    }

    /** Health status ("starting", "healthy", "unhealthy"), or "none". */
    public String health(String name) {
        try {
            var h = inspect(name).getState().getHealth();
            return h == null ? "none" : h.getStatus();
        } catch (NotFoundException e) {
            return "missing";
        }
    }

    public void awaitStatus(String name, String status, Duration atMost) {
        Awaitility.await("status of " + name + " is " + status).atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(status(name)));
    }

    /** Until the container is not running (created, exited or dead). */
    public void awaitStopped(String name, Duration atMost) {
        Awaitility.await(name + " stopped").atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> Set.of("created", "exited", "dead", "missing").contains(status(name)));
    }

    public void awaitHealthy(String name, Duration atMost) {
        Awaitility.await(name + " healthy").atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> "healthy".equals(health(name)));
    }

    /** Force-removes one container (running or not). */
    public void remove(String name) {
        try {
            client.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // fine
        }
        created.remove(name);
    }

    /** Removes the containers this fixture made (and only those, and only if still labelled as test ones). */
    public void removeAll() {
        List<String> names;
        synchronized (created) {
            names = new ArrayList<>(created);
        }
        if (names.isEmpty()) {
            return;
        }
        for (Container c : client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(TEST_LABEL, "true")).exec()) {
            for (String n : c.getNames()) {
                String bare = n.startsWith("/") ? n.substring(1) : n;
                if (names.contains(bare)) {
                    remove(bare);
                }
            }
        }
        created.clear();
    }

    /** Names of the containers made so far and not removed. */
    public List<String> created() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    // ---- events ----

    /** Docker events with action {@code action} (e.g. "start") for container {@code name} since this fixture was made. */
    public long countEvents(String name, String action) {
        return countEvents(name, action, createdAt);
    }

    public long countEvents(String name, String action, Instant since) {
        return eventTimes(name, action, since).size();
    }

    /** When the engine reported {@code action} for container {@code name}, since {@code since}, in order. */
    public List<Instant> eventTimes(String name, String action, Instant since) {
        String until = timestamp(Instant.now().plusMillis(1));
        List<Instant> times = Collections.synchronizedList(new ArrayList<>());
        ResultCallback.Adapter<Event> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event e) {
                String a = e.getAction() != null ? e.getAction() : e.getStatus();
                if (action.equals(a)) {
                    Long nanos = e.getTimeNano();
                    times.add(nanos != null ? Instant.ofEpochSecond(0, nanos) : Instant.ofEpochSecond(e.getTime()));
                }
            }
        };
        client.eventsCmd().withSince(timestamp(since)).withUntil(until)
                .withContainerFilter(name).withEventTypeFilter("container").exec(cb);
        try {
            if (!cb.awaitCompletion(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("docker events query did not finish in 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (times) {
            return List.copyOf(times);
        }
    }

    private static String timestamp(Instant t) {
        return t.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", t.getNano());
    }

    @Override
    public void close() {
        try {
            removeAll();
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
