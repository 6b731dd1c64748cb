package dev.wakegate.config;

import java.util.OptionalInt;

/**
 * What a managed name stands for on the engine, and so which provider wakes it: a container (the
 * default; started and stopped) or a Docker Swarm service (scaled between 0 and its replicas).
 *
 * @param kind     container or service
 * @param replicas for a service: how many replicas a wake scales it to; empty means the last
 *                 non-zero count it had (remembered on the service itself), else 1. Always empty
 *                 for a container.
 */
public record Workload(Kind kind, OptionalInt replicas) {

    public enum Kind {
        CONTAINER, SERVICE;

        /** As the config writes it: {@code container}, {@code service}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The largest replica count accepted (a typo such as 1000 is refused rather than obeyed). */
    public static final int MAX_REPLICAS = 100;

    public static final Workload CONTAINER = new Workload(Kind.CONTAINER, OptionalInt.empty());

    /** Why {@code sleep: pause} is refused on a service: Swarm has no pause, a service sleeps at 0 replicas. */
    public static final String NO_PAUSE = "a Swarm service sleeps by scaling to 0 replicas; sleep: pause is for containers";

    public Workload {
        if (kind == Kind.CONTAINER && replicas.isPresent()) {
            throw new IllegalArgumentException("replicas are for services only");
        }
    }

    /** A Swarm service, woken to {@code replicas} (or, when empty, its last non-zero count, else 1). */
    public static Workload service(OptionalInt replicas) {
        return new Workload(Kind.SERVICE, replicas);
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }
}
