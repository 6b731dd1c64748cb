package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.DockerException;
import dev.wakegate.lifecycle.StartFailure;
import org.jspecify.annotations.Nullable;

import java.util.Locale;

/** What scaling up and down share: which services can be scaled, and how a spec says its count. */
final class ServiceScaling {
    private ServiceScaling() {
    }

    /**
     * The service, when it is one that can be scaled.
     *
     * @throws StartFailure MISSING when there is no such service, FAILED when it is not replicated
     */
    static JsonNode replicated(String name, @Nullable JsonNode service) {
        if (service == null) {
            throw missing(name);
        }
        if (!ServiceInfos.replicated(service)) {
            throw new StartFailure(name, StartFailure.Kind.FAILED,
                    "not a replicated service: only those can be scaled to 0 and back");
        }
        return service;
    }

    /** The failure for a service the engine does not know (also when it went away between two requests). */
    static StartFailure missing(String name) {
        return new StartFailure(name, StartFailure.Kind.MISSING, "no such service " + name);
    }

    /** Sets {@code Mode.Replicated.Replicas} of a spec (a copy of the engine's, otherwise untouched). */
    static void setReplicas(ObjectNode spec, int replicas) {
        ObjectNode mode = spec.with("Mode");
        mode.with("Replicated").put("Replicas", replicas);
    }

    /**
     * The engine refused an update because the service changed since it was read. The engine says
     * so only in its message (a 500 with "update out of sequence"), so that text is what tells;
     * it decides a retry, never what a failure means.
     */
    static boolean outOfSequence(DockerException e) {
        String m = e.getMessage();
        return e.getHttpStatus() == 500 && m != null && m.toLowerCase(Locale.ROOT).contains("out of sequence");
    }
}
