package dev.wakegate.server;

import dev.wakegate.config.ConfigException;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.server.logging.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** {@code bin/wakegate --config FILE} (or {@code java -jar wakegate.jar --config FILE}): see {@link #USAGE}. */
public final class Main {
    static final String USAGE = """
            usage: wakegate --config FILE [--check]      (bin/wakegate, or java -jar wakegate.jar)

            wakegate: an HTTP/1.1 and TCP front proxy for a Docker Compose stack that starts
            stopped containers when a request needs them and stops idle ones.

            options:
              --config FILE   the YAML config; examples in config/ (config/demo.yml, ...)
              --check         validate the config and exit (0: valid, 2: refused, with file, key and reason)
              --help          this text

            every key, label and variable: docs/configuration.md in wakegate's repository

            environment (overrides the file; a bare number is minutes or seconds, as shown):
              CONTAINER_AUTO_START, CONTAINER_AUTO_STOP          true|false
              CONTAINER_IDLE_TIMEOUT, CONTAINER_HIGH_IDLE_TIMEOUT, CONTAINER_LOW_IDLE_TIMEOUT   minutes
              CONTAINER_STARTUP_TIMEOUT, CONTAINER_HEALTH_CHECK_INTERVAL                        seconds
              REDIS_URL            share state through Redis (default: in memory)
              DOCKER_HOST          the engine (default unix:///var/run/docker.sock)
              WAKEGATE_LISTEN      the HTTP listener, HOST:PORT (default 0.0.0.0:8000)
              WAKEGATE_ADMIN_TOKEN bearer token for the POST /health/* operations (else loopback only)
              WAKEGATE_LOG_JSON    true: one JSON object per log line
              WAKEGATE_LOG_LEVEL   wakegate's own loggers: error|warn|info|debug|trace (default info)
              WAKEGATE_JAVA_OPTS, WAKEGATE_HEAP, WAKEGATE_CDS   JVM settings of bin/wakegate (see there)

            SIGTERM (or SIGINT) stops accepting, lets in-flight requests finish (timeouts.drain),
            then exits with status 0. SIGHUP re-reads the config file and applies it (a refused
            file changes nothing; the log says what changed and what needs a restart), as
            POST /health/config/reload does. SIGUSR1 reopens the access log file (logrotate).
            exit status: 0 after a clean stop, 1 when it cannot start (e.g. the port is in use),
            2 for a refused config or bad options.
            """;

    private static final String[] STOP_SIGNALS = {"TERM", "INT"};

    private Main() {
    }

    /**
     * Netty's JFR events (buffer and chunk allocations) are off unless {@code -Dio.netty.jfr.enabled=true}
     * asks for them: the first allocation of a chunk, in the first request, otherwise registers
     * their event classes with JFR, which loads its metadata (~100 ms on one core at start), and
     * they record nothing unless a JFR recording enables them.
     */
    static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";

    public static void main(String[] args) {
        if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
            System.setProperty(NETTY_JFR_PROPERTY, "false"); // before any Netty class reads it
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--check" -> check = true;
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        err.println("wakegate: --config needs a file");
                        return 2;
                    }
                    file = Path.of(args[++i]);
                }
                default -> {
                    err.println("wakegate: unknown option " + args[i] + " (see --help)");
                    return 2;
                }
            }
        }
        if (file == null) {
            err.println("wakegate: --config FILE is required (see --help)");
            return 2;
        }
        boolean json;
        try {
            json = Logging.configureFromEnvironment();
        } catch (IllegalArgumentException e) {
            err.println("wakegate: refusing to start: " + e.getMessage());
            return 2;
        }
        ProxyConfig config;
        try {
            config = ConfigLoader.load(file, System.getenv());
        } catch (ConfigException e) {
            err.println("wakegate: refusing to start: " + e.getMessage());
            return 2;
        }
        if (check) {
            out.println("wakegate: " + file + " is valid");
            return 0;
        }
        if (config.jsonLogs() && !json) {
            Logging.configure(true);
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        // SIGHUP and SIGUSR1 would end the JVM by default: handled from before the start (which
        // serves before it returns), and one that comes during it is carried out once it is up
        AtomicReference<WakegateServer> running = new AtomicReference<>();
        AtomicBoolean reloadPending = new AtomicBoolean();
        AtomicBoolean reopenPending = new AtomicBoolean();
        // SIGUSR1: logrotate's postrotate reopens the access log (the writer does it, the handler returns at once)
        handle(log, "USR1", () -> whenRunning(running, reopenPending, WakegateServer::reopenAccessLog),
                "the access log is not reopened on it");
        // SIGHUP: reload the file, as nginx -s reload does; the reload runs on its own thread and logs its outcome
        handle(log, "HUP", () -> whenRunning(running, reloadPending, WakegateServer::reload),
                "use POST /health/config/reload to reload");
        log.info("config loaded from {}: {} container(s), {} route(s), {} tcp listener(s)", file,
                config.containers().size(), config.routes().size(), config.tcp().size());

        WakegateServer server;
        try {
            server = WakegateServer.start(config);
        } catch (RuntimeException e) {
            log.error("wakegate could not start: {}", e.getMessage());
            return 1;
        }
        running.set(server);
        if (reopenPending.getAndSet(false)) {
            server.reopenAccessLog();
        }
        if (reloadPending.getAndSet(false)) {
            server.reload();
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        // SIGTERM and SIGINT end a clean drain with status 0, as nginx and HAProxy do: with the
        // JVM's own handler the process would exit 143 (128 + 15) however cleanly it stopped
        for (String signal : STOP_SIGNALS) {
            try {
                Signal.handle(new Signal(signal), s -> stopRequested.countDown());
            } catch (IllegalArgumentException unavailable) {
                log.debug("cannot handle SIG{}: the JVM's default applies", signal);
            }
        }
        // any other way out (System.exit) still drains through the hook
        Thread hook = new Thread(server::close, "wakegate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        return 0;
    }

    private static void handle(Logger log, String signal, Runnable action, String otherwise) {
        try {
            // a signal ignored when the JVM started (nohup ignores SIGHUP) stays ignored: the JVM
            // keeps the handler but never calls it, so say so rather than let a reload go unheard
            if (Signal.handle(new Signal(signal), s -> action.run()) == SignalHandler.SIG_IGN) {
                log.warn("SIG{} is ignored in this process (started under nohup?): {}", signal, otherwise);
            }
        } catch (IllegalArgumentException unavailable) {
            log.debug("cannot handle SIG{}: {}", signal, otherwise);
        }
    }

    /**
     * Runs {@code action} on the server once it runs: a signal before that leaves it pending, and
     * the start carries it out (whichever of the two sees the other clears the flag, so it runs once).
     */
    private static void whenRunning(AtomicReference<WakegateServer> running, AtomicBoolean pending,
                                    java.util.function.Consumer<WakegateServer> action) {
        pending.set(true);
        WakegateServer server = running.get();
        if (server != null && pending.getAndSet(false)) {
            action.accept(server);
        }
    }
}
