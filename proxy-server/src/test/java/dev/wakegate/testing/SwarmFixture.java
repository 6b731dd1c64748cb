package dev.wakegate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A one-node Docker Swarm on the machine's engine, for the Swarm provider's tests, driven with the
 * {@code docker} CLI as an operator would. Leaves the engine as it found it: {@link #close()}
 * removes every service it made (and waits for their tasks' containers to go), and when the engine
 * was not a swarm manager before, leaves the swarm again ({@code docker swarm leave --force}).
 *
 * <p>Services run the local image {@value DockerFixture#IMAGE} on host networking, are created
 * without resolving the image in a registry ({@code --no-resolve-image}: none is reachable), carry
 * {@code wakegate.test=true}, and stop on SIGKILL (busybox as PID 1 ignores SIGTERM, so a scale-down
 * would otherwise wait out the grace period).
 */
public final class SwarmFixture implements AutoCloseable {
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    private final boolean initialisedHere;
    private final Set<String> created = Collections.synchronizedSet(new LinkedHashSet<>());

    public SwarmFixture() {
        String state = docker("info", "--format", "{{.Swarm.LocalNodeState}}").trim();
        if ("active".equals(state)) {
            initialisedHere = false;
        } else {
            docker("swarm", "init", "--advertise-addr", "127.0.0.1");
            initialisedHere = true;
        }
    }

    /** A service name no other test uses: {@code wakegate-test-<hint>-<unique>}. */
    public static String uniqueName(String hint) {
        return DockerFixture.uniqueName(hint);
    }

    /** Builder of one test service; {@link #create()} makes it and returns its name. */
    public final class Spec {
        private final String name;
        private int replicas;
        private String script = "sleep 3600";
        private final List<String> labels = new ArrayList<>();
        private final List<String> extra = new ArrayList<>();

        private Spec(String name) {
            this.name = name;
        }

        public Spec replicas(int n) {
            this.replicas = n;
            return this;
        }

        /** Runs {@code sh -c script}; {@code $SLOT} is the task's slot (1, 2, ...). */
        public Spec shell(String script) {
            this.script = script;
            return this;
        }

        public Spec label(String key, String value) {
            labels.add(key + "=" + value);
            return this;
        }

        public Spec labels(Map<String, String> more) {
            more.forEach(this::label);
            return this;
        }

        /** More {@code docker service create} options, e.g. a health command. */
        public Spec option(String... args) {
            extra.addAll(Arrays.asList(args));
            return this;
        }

        /** Creates it (not waiting for its tasks) and returns its name. */
        public String create() {
            List<String> cmd = new ArrayList<>(List.of("service", "create", "--detach", "--quiet", "--name", name,
                    "--network", "host", "--no-resolve-image", "--stop-signal", "KILL",
                    "--restart-delay", "200ms", "--env", "SLOT={{.Task.Slot}}",
                    "--replicas", Integer.toString(replicas), "--label", DockerFixture.TEST_LABEL + "=true"));
            for (String l : labels) {
                cmd.add("--label");
                cmd.add(l);
            }
            cmd.addAll(extra);
            cmd.addAll(List.of(DockerFixture.IMAGE, "sh", "-c", script));
            created.add(name);
            docker(cmd.toArray(String[]::new));
            return name;
        }
    }

    public Spec service(String hint) {
        return new Spec(uniqueName(hint));
    }

    /** Shell script: busybox httpd answering {@code body} on 127.0.0.1:(basePort + slot - 1), at / and under each route. */
    public static String httpServerScript(int basePort, String body, String... routes) {
        StringBuilder sh = new StringBuilder("mkdir -p /www && echo " + body + " > /www/index.html");
        for (String route : routes) {
            sh.append(" && mkdir -p /www").append(route).append(" && echo ").append(body)
                    .append(" > /www").append(route).append("/index.html");
        }
        return sh.append(" && exec httpd -f -p 127.0.0.1:$((").append(basePort).append(" + SLOT - 1)) -h /www")
                .toString();
    }

    /** The replica count of its spec. */
    public int replicas(String service) {
        return Integer.parseInt(docker("service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", service)
                .trim());
    }

    /** One label of its spec, or "" when it has none. */
    public String label(String service, String key) {
        String out = docker("service", "inspect", "--format", "{{index .Spec.Labels \"" + key + "\"}}", service).trim();
        return "<no value>".equals(out) ? "" : out;
    }

    /** How many of its tasks run now. */
    public int runningTasks(String service) {
        String out = docker("service", "ps", "--filter", "desired-state=running", "--format", "{{.CurrentState}}", service);
        return (int) out.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("running")).count();
    }

    public void scale(String service, int replicas) {
        docker("service", "scale", "--detach", service + "=" + replicas);
    }

    /** Its {@code update} events (each a change of its spec, e.g. a scale) since {@code since}. */
    public long updates(String service, Instant since) {
        String out = docker("events", "--since", timestamp(since), "--until", timestamp(Instant.now().plusMillis(1)),
                "--filter", "type=service", "--filter", "service=" + service, "--filter", "event=update",
                "--format", "{{.Action}}");
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    private static String timestamp(Instant t) {
        return t.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", t.getNano());
    }

    public void remove(String service) {
        docker("service", "rm", service);
        created.remove(service);
        awaitTaskContainersGone(service);
    }

    private void awaitTaskContainersGone(String service) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String ids = docker("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + service);
            if (ids.isBlank()) {
                return;
            }
            sleep(100);
        }
    }

    @Override
    public void close() {
        List<String> names;
        synchronized (created) {
            names = new ArrayList<>(created);
        }
        for (String name : names) {
            try {
                remove(name);
            } catch (RuntimeException e) {
                // removed meanwhile: carry on with the others
            }
        }
        if (initialisedHere) {
            docker("swarm", "leave", "--force");
        }
    }

    /** Runs the docker CLI; fails with its output when it fails. */
    public static String docker(String... args) {
        List<String> cmd = new ArrayList<>(args.length + 1);
        cmd.add("docker");
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": no answer within " + CLI_TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
