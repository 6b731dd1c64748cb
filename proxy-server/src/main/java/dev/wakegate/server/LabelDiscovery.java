package dev.wakegate.server;

import dev.wakegate.config.ConfigException;
import dev.wakegate.config.ConfigMerge;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.config.LabelConfig.Labelled;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.lifecycle.ContainerEvent;
import dev.wakegate.lifecycle.ContainerInfo;
import dev.wakegate.lifecycle.ContainerRuntime;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Manages and routes containers that carry {@code wakegate.enable=true}, from their
 * {@code wakegate.*} labels, following the engine's events: a container created after the proxy
 * started is picked up, a destroyed one loses its routes. YAML wins where both say something
 * ({@link ConfigMerge}). Labels that do not make sense are refused for that container alone, with
 * the reason logged; the rest of the proxy is unaffected.
 *
 * <p>Runs on the runtime's event thread and executor, never on an event loop; the merged routes are
 * handed to the front server as a new frozen trie.
 */
final class LabelDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabelDiscovery.class);

    private final ProxyConfig base;
    private final ContainerRuntime runtime;
    private final Lifecycle lifecycle;
    private final Consumer<RouteTrie<Route>> routesSink;

    /** By engine container name: what its labels say. Guarded by {@code this}. */
    private final Map<String, Labelled> labelled = new LinkedHashMap<>();
    private final Map<String, String> refused = new HashMap<>();
    private ProxyConfig merged;
    private AutoCloseable subscription;

    LabelDiscovery(ProxyConfig base, ContainerRuntime runtime, Lifecycle lifecycle,
                   Consumer<RouteTrie<Route>> routesSink) {
        this.base = base;
        this.runtime = runtime;
        this.lifecycle = lifecycle;
        this.routesSink = routesSink;
        this.merged = base;
    }

    void start() {
        subscription = runtime.subscribe(this::onEvent);
    }

    /** The configuration in effect: the file's, plus what labels add. */
    synchronized ProxyConfig merged() {
        return merged;
    }

    private void onEvent(ContainerEvent event) {
        switch (event.type()) {
            case RESYNC -> runtime.list().whenComplete((all, error) -> {
                if (error == null) {
                    resync(all);
                }
            });
            case CREATE -> runtime.inspect(event.name()).whenComplete((info, error) -> {
                if (error == null && info.status() != ContainerInfo.Status.MISSING) {
                    upsert(info);
                }
            });
            case DESTROY -> remove(event.name());
            default -> {
            }
        }
    }

    private synchronized void resync(List<ContainerInfo> all) {
        Map<String, ContainerInfo> present = new HashMap<>();
        for (ContainerInfo info : all) {
            present.put(info.name(), info);
        }
        boolean changed = labelled.keySet().removeIf(name -> !present.containsKey(name));
        for (ContainerInfo info : all) {
            changed |= consider(info);
        }
        if (changed) {
            apply();
        }
    }

    private synchronized void upsert(ContainerInfo info) {
        if (consider(info)) {
            apply();
        }
    }

    private synchronized void remove(String name) {
        if (name != null && labelled.remove(name) != null) {
            log.info("container {} was destroyed: its label routes are removed", name);
            apply();
        }
        refused.remove(name);
    }

    /** Reads one container's labels; true when what its labels say changed. */
    private boolean consider(ContainerInfo info) {
        Labelled next;
        try {
            next = LabelConfig.parse(info.name(), info.service(), info.labels()).orElse(null);
        } catch (ConfigException e) {
            refuse(info.name(), e.getMessage());
            return labelled.remove(info.name()) != null;
        }
        if (next == null) {
            return labelled.remove(info.name()) != null;
        }
        return !next.equals(labelled.put(info.name(), next));
    }

    private void refuse(String name, String reason) {
        if (!Objects.equals(refused.put(name, reason), reason)) {
            log.warn("ignoring the wakegate labels of container {}: {}", name, reason);
        }
    }

    /**
     * Merges the file's config with every labelled container that fits. A container whose labels
     * clash (a dependency not (yet) known, a cycle, a path another container claims) is left out,
     * with the reason logged once, and the merge is retried without it; it is considered again at
     * every change, so a dependency discovered later brings it in.
     */
    private void apply() {
        Map<String, Labelled> candidates = new LinkedHashMap<>(labelled);
        ProxyConfig next = null;
        while (next == null) {
            try {
                next = ConfigMerge.withLabels(base, candidates.values());
            } catch (ConfigException e) {
                String culprit = culprit(e, candidates);
                if (culprit == null) {
                    log.warn("label configuration does not merge, keeping the previous routes: {}", e.getMessage());
                    return;
                }
                refuse(culprit, e.getMessage());
                candidates.remove(culprit);
            }
        }
        for (String name : candidates.keySet()) {
            if (refused.remove(name) != null) {
                log.info("container {} is managed from its labels as '{}'", name, candidates.get(name).spec().name());
            } else if (!merged.containers().containsKey(candidates.get(name).spec().name())) {
                log.info("container {} is managed from its labels as '{}' (routes {})", name,
                        candidates.get(name).spec().name(),
                        candidates.get(name).routes().stream().map(r -> r.path()).toList());
            }
        }
        List<String> gone = new ArrayList<>();
        for (ContainerSpec old : merged.containers().values()) {
            if (old.fromLabels() && !next.containers().containsKey(old.name())) {
                gone.add(old.name());
            }
        }
        for (ContainerSpec spec : next.containers().values()) {
            if (spec.fromLabels() && !spec.equals(merged.containers().get(spec.name()))) {
                lifecycle.register(spec);
            }
        }
        // routes first, so no request is routed to a container about to be forgotten
        routesSink.accept(Route.compile(next.routes()));
        for (String name : gone) {
            lifecycle.unregister(name);
        }
        merged = next;
    }

    /** The engine name of the labelled container a merge error is about, or null. */
    private static String culprit(ConfigException e, Map<String, Labelled> candidates) {
        for (Map.Entry<String, Labelled> c : candidates.entrySet()) {
            String specName = c.getValue().spec().name();
            if (e.file().equals("labels of container " + specName) || e.file().equals("labels of container " + c.getKey())) {
                return c.getKey();
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("closing the label discovery subscription", e);
            }
        }
    }
}
