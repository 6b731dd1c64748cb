package dev.wakegate.server;

import dev.wakegate.config.ConfigException;
import dev.wakegate.config.ConfigMerge;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.config.LabelConfig.Labelled;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Manages and routes containers, and Swarm services, that carry {@code wakegate.enable=true}, from
 * their {@code wakegate.*} labels (a service's own labels, not its tasks'), following the engine's
 * events: one created after the proxy started is picked up, a destroyed one loses its routes, a
 * service whose spec is updated has its labels read again. A task's container belongs to its
 * service and is never managed on its own. YAML wins where both say something
 * ({@link ConfigMerge}). Labels that do not make sense are refused for that container alone, with
 * the reason logged; the rest of the proxy is unaffected.
 *
 * <p>It also owns the merge when the file is reloaded ({@link #rebase}): the label containers and
 * routes survive a reload, merged with the new file as they were with the old one.
 *
 * <p>Runs on the runtime's event thread and executor (and the reload's thread), never on an event
 * loop; the merged routes are handed to the front server as a new frozen {@link HostRouter}.
 */
final class LabelDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabelDiscovery.class);

    /** The prefix of a service's key in {@link #labelled}: no container name contains ':'. */
    private static final String SERVICE_KEY = "service:";
    /** The label the engine puts on a Swarm task's container. */
    private static final String SWARM_TASK_LABEL = "com.docker.swarm.task.id";

    private ProxyConfig base;                  // the file's config; replaced by a reload. Guarded by this.
    private final WorkloadProvider runtime;
    private final WorkloadProvider services;
    private final Lifecycle lifecycle;
    private final Consumer<HostRouter> routesSink;

    /**
     * By engine container name (a service's: {@value #SERVICE_KEY} and its name): what its labels
     * say, when they parse. Guarded by {@code this}.
     */
    private final Map<String, Labelled> labelled = new LinkedHashMap<>();
    /** The part of {@link #labelled} in effect (merges with the file and with each other). */
    private Map<String, Labelled> active = Map.of();
    /** Why a container's labels are not in effect, so each reason is logged once. */
    private final Map<String, String> refused = new HashMap<>();
    /** Names of every container on the engine (from the listing and the events). */
    private final Set<String> engineNames = new HashSet<>();
    /**
     * A listing is older than the events that came while it was under way: for each key of
     * {@link #labelled} an event touched, the event count then, so that a listing begun before it
     * neither forgets a container created meanwhile nor brings back one destroyed meanwhile.
     */
    private final Map<String, Long> touchedAt = new HashMap<>();
    private long eventCount;
    /** Ids of recently destroyed containers, so a late inspection cannot bring one back. */
    private final Set<String> destroyed = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1024;
        }
    });
    private ProxyConfig merged;
    private @Nullable AutoCloseable subscription;
    private @Nullable AutoCloseable serviceSubscription;
    /** The first listing of containers, and of services, applied (or failed: the engine is down). */
    private final CompletableFuture<Void> containersListed = new CompletableFuture<>();
    private final CompletableFuture<Void> servicesListed = new CompletableFuture<>();

    /**
     * @param runtime  the containers' provider
     * @param services the Swarm services' provider
     */
    LabelDiscovery(ProxyConfig base, WorkloadProvider runtime, WorkloadProvider services, Lifecycle lifecycle,
                   Consumer<HostRouter> routesSink) {
        this.base = base;
        this.runtime = runtime;
        this.services = services;
        this.lifecycle = lifecycle;
        this.routesSink = routesSink;
        this.merged = base;
    }

    /**
     * The file was reloaded: merges the labels with {@code file} anew and applies the difference:
     * containers added or changed are registered with the lifecycle at once, the routes are
     * swapped whole, then containers gone are unregistered (no longer managed, never stopped).
     *
     * @return what changed, one line each
     */
    synchronized List<String> rebase(ProxyConfig file) {
        base = file;
        return apply();
    }

    void start() {
        if (!base.discovery().enabled()) {
            log.info("label discovery is off (docker.labels: false)");
            containersListed.complete(null);
            servicesListed.complete(null);
            return;
        }
        base.discovery().project().ifPresent(p -> log.info("label discovery limited to compose project {}", p));
        subscription = runtime.subscribe(this::onEvent);
        serviceSubscription = services.subscribe(this::onServiceEvent);
    }

    /**
     * Completes once the first listing of containers and of Swarm services has been applied (their
     * label routes are in the router and their containers registered), or could not be made (the
     * engine is unreachable or disconnected: discovery catches up when it is back). Never
     * completes exceptionally. The server accepts connections after it, so a request for a label
     * route right after start is routed.
     */
    CompletableFuture<Void> firstListing() {
        return CompletableFuture.allOf(containersListed, servicesListed);
    }

    /** The configuration in effect: the file's, plus what labels add. */
    synchronized ProxyConfig merged() {
        return merged;
    }

    private void onEvent(WorkloadEvent event) {
        switch (event.type()) {
            case RESYNC -> relist(runtime, "containers", this::resync, containersListed);
            case DISCONNECTED -> containersListed.complete(null);
            case CREATE -> runtime.inspect(String.valueOf(event.name())).whenComplete((info, error) -> {
                if (error == null && info.status() != WorkloadInfo.Status.MISSING) {
                    upsert(info);
                }
            });
            case DESTROY -> remove(event.id(), event.name());
            default -> {
            }
        }
    }

    /**
     * Lists {@code provider} again and hands the listing to {@code apply} with the event count it
     * began at; {@code listed} completes either way (the first listing's wait at start).
     */
    private void relist(WorkloadProvider provider, String what, Relisting apply, CompletableFuture<Void> listed) {
        long since = eventCount();
        provider.list().whenComplete((all, error) -> {
            try {
                if (error == null) {
                    apply.accept(all, since);
                } else {
                    log.warn("label discovery could not list {}: {}", what, error.getMessage());
                }
            } finally {
                listed.complete(null);
            }
        });
    }

    private interface Relisting {
        void accept(List<WorkloadInfo> all, long since);
    }

    private synchronized long eventCount() {
        return eventCount;
    }

    /** An event about {@code key} is applied now: listings begun before it yield to it. */
    private void touch(String key) {
        touchedAt.put(key, ++eventCount);
    }

    /** Whether an event touched {@code key} after a listing begun at {@code since}. */
    private boolean touchedSince(String key, long since) {
        Long at = touchedAt.get(key);
        return at != null && at > since;
    }

    /** A listing begun at {@code since} is applied: what no later event touched is its to decide now. */
    private void forgetTouchesUpTo(long since) {
        touchedAt.values().removeIf(at -> at <= since);
    }

    private void onServiceEvent(WorkloadEvent event) {
        switch (event.type()) {
            case RESYNC -> relist(services, "services", this::resyncServices, servicesListed);
            case DISCONNECTED -> servicesListed.complete(null);
            // created, or its spec updated (its labels may say something new)
            case CREATE -> services.inspect(String.valueOf(event.name())).whenComplete((info, error) -> {
                if (error == null && info.status() != WorkloadInfo.Status.MISSING) {
                    upsertService(info);
                }
            });
            case DESTROY -> removeService(event.id(), event.name());
            default -> {
            }
        }
    }

    /** A listing of services begun at event count {@code since}; services an event touched since are left to it. */
    private synchronized void resyncServices(List<WorkloadInfo> all, long since) {
        Set<String> present = new HashSet<>();
        for (WorkloadInfo info : all) {
            present.add(SERVICE_KEY + info.name());
        }
        boolean changed = labelled.keySet().removeIf(key -> key.startsWith(SERVICE_KEY) && !present.contains(key)
                && !touchedSince(key, since));
        refused.keySet().removeIf(key -> key.startsWith(SERVICE_KEY) && !present.contains(key)
                && !touchedSince(key, since));
        for (WorkloadInfo info : all) {
            if (!touchedSince(SERVICE_KEY + info.name(), since)) {
                changed |= considerService(info);
            }
        }
        forgetTouchesUpTo(since);
        if (changed) {
            apply();
        }
    }

    private synchronized void upsertService(WorkloadInfo info) {
        if (info.id() != null && destroyed.contains(info.id())) {
            return;
        }
        touch(SERVICE_KEY + info.name());
        if (considerService(info)) {
            apply();
        }
    }

    private synchronized void removeService(@Nullable String id, @Nullable String name) {
        if (id != null) {
            destroyed.add(id);
        }
        touch(SERVICE_KEY + name);
        refused.remove(SERVICE_KEY + name);
        if (labelled.remove(SERVICE_KEY + name) != null) {
            log.info("service {} was removed: its label routes are removed", name);
            apply();
        }
    }

    /** Reads one service's own labels; true when what they say changed. */
    private boolean considerService(WorkloadInfo info) {
        String key = SERVICE_KEY + info.name();
        if (!base.discovery().covers(info.labels())) {
            return labelled.remove(key) != null;
        }
        Labelled next;
        try {
            next = LabelConfig.parseService(info.name(), info.labels()).orElse(null);
        } catch (ConfigException e) {
            refuse(key, String.valueOf(e.getMessage()));
            return labelled.remove(key) != null;
        }
        if (next == null) {
            return labelled.remove(key) != null;
        }
        if (next.equals(labelled.get(key))) {
            return false;
        }
        labelled.put(key, next);
        return true;
    }

    /** A listing of containers begun at event count {@code since}; containers an event touched since are left to it. */
    private synchronized void resync(List<WorkloadInfo> all, long since) {
        Map<String, WorkloadInfo> present = new HashMap<>();
        for (WorkloadInfo info : all) {
            if (!touchedSince(info.name(), since)) {
                present.put(info.name(), info);
            }
        }
        // what an event said since the listing began stands: created (kept) or destroyed (not brought back)
        Set<String> names = new HashSet<>(present.keySet());
        for (String name : engineNames) {
            if (touchedSince(name, since)) {
                names.add(name);
            }
        }
        boolean changed = labelled.keySet().removeIf(name -> !name.startsWith(SERVICE_KEY) && !present.containsKey(name)
                && !touchedSince(name, since));
        refused.keySet().removeIf(name -> !name.startsWith(SERVICE_KEY) && !present.containsKey(name)
                && !touchedSince(name, since));
        changed |= !engineNames.equals(names);
        engineNames.clear();
        engineNames.addAll(names);
        for (WorkloadInfo info : present.values()) {
            changed |= consider(info);
        }
        forgetTouchesUpTo(since);
        if (changed) {
            apply();
        }
    }

    private synchronized void upsert(WorkloadInfo info) {
        // the inspection raced with a removal: the DESTROY came first and must stay the last word
        if (info.id() != null && destroyed.contains(info.id())) {
            return;
        }
        touch(info.name());
        boolean shadows = engineNames.add(info.name()) && isSpecName(info.name());
        if (consider(info) || shadows) {
            apply();
        }
    }

    private synchronized void remove(@Nullable String id, @Nullable String name) {
        if (id != null) {
            destroyed.add(id);
        }
        if (name != null) {
            touch(name);
        }
        refused.remove(name);
        boolean shadowed = engineNames.remove(name) && isSpecName(name);
        boolean was = name != null && labelled.remove(name) != null;
        if (was) {
            log.info("container {} was destroyed: its label routes are removed", name);
        }
        if (was || shadowed) {
            apply();
        }
    }

    private boolean isSpecName(@Nullable String name) {
        return labelled.values().stream().anyMatch(l -> l.spec().name().equals(name));
    }

    /**
     * Why a container may not be managed under the name its labels give it, or null. The runtime
     * resolves a name to the container with exactly that name before a compose service of that
     * name; a label container named after its service while another container has that name would
     * have wakegate start and stop the other, unmanaged, container.
     */
    private @Nullable String shadowedBy(String containerName, Labelled l) {
        String name = l.spec().name();
        if (containerName.startsWith(SERVICE_KEY)) {
            return null; // a service is woken as a service, whatever containers are called
        }
        if (!name.equals(containerName) && engineNames.contains(name)) {
            return "its compose service name '" + name
                    + "' is also the name of another container, which wakegate would then start and stop;"
                    + " rename one of them";
        }
        return null;
    }

    /** Reads one container's labels; true when what its labels say changed. */
    private boolean consider(WorkloadInfo info) {
        if (!base.discovery().covers(info.labels()) || info.labels().containsKey(SWARM_TASK_LABEL)) {
            return labelled.remove(info.name()) != null;
        }
        Labelled next;
        try {
            next = LabelConfig.parse(info.name(), info.service(), info.labels()).orElse(null);
        } catch (ConfigException e) {
            refuse(info.name(), String.valueOf(e.getMessage()));
            return labelled.remove(info.name()) != null;
        }
        if (next == null) {
            return labelled.remove(info.name()) != null;
        }
        if (next.equals(labelled.get(info.name()))) {
            return false;
        }
        labelled.put(info.name(), next);
        return true;
    }

    private void refuse(String name, String reason) {
        if (!Objects.equals(refused.put(name, reason), reason)) {
            log.warn("ignoring the wakegate labels of {}: {}", describe(name), reason);
        }
    }

    /** "container NAME" or "service NAME", from a key of {@link #labelled}. */
    private static String describe(String key) {
        return key.startsWith(SERVICE_KEY) ? "service " + key.substring(SERVICE_KEY.length()) : "container " + key;
    }

    /**
     * Which label containers can be managed together, found again from scratch on each change so
     * the outcome does not depend on the order containers came in: one is accepted once it merges
     * with those already accepted, in rounds until nothing more can join. A container whose
     * dependency is destroyed drops out with a logged reason (and back in when it returns) rather
     * than freezing the routes of every other container.
     */
    private Map<String, Labelled> acceptable() {
        Map<String, Labelled> accepted = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, Labelled> pending = new LinkedHashMap<>(labelled);
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Labelled> e = it.next();
                String shadow = shadowedBy(e.getKey(), e.getValue());
                if (shadow != null) {
                    reasons.put(e.getKey(), shadow);
                    continue;
                }
                Map<String, Labelled> candidate = new LinkedHashMap<>(accepted);
                candidate.put(e.getKey(), e.getValue());
                try {
                    ConfigMerge.withLabels(base, candidate.values());
                    accepted.put(e.getKey(), e.getValue());
                    reasons.remove(e.getKey());
                    it.remove();
                    progress = true;
                } catch (ConfigException ex) {
                    reasons.put(e.getKey(), ex.getMessage());
                }
            }
        }
        reasons.forEach(this::refuse);
        return accepted;
    }

    /** Applies the merge of the file and the acceptable labels; returns what changed. */
    private List<String> apply() {
        Map<String, Labelled> accepted = acceptable();
        ProxyConfig next;
        try {
            next = ConfigMerge.withLabels(base, accepted.values());
        } catch (ConfigException e) {
            // cannot happen: the last container accepted was checked with all the others
            log.warn("label configuration does not merge, keeping the previous routes: {}", e.getMessage());
            return List.of();
        }
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, Labelled> e : accepted.entrySet()) {
            if (!e.getValue().equals(active.get(e.getKey()))) {
                refused.remove(e.getKey());
                Labelled l = e.getValue();
                log.info("{} is managed from its labels as '{}' (routes {})", describe(e.getKey()), l.spec().name(),
                        l.routes().stream().map(r -> Route.of(r).name()).toList());
            }
        }
        active = accepted;
        // every container, from the file or from labels: a label event leaves the file's alone
        List<String> gone = new ArrayList<>();
        for (ContainerSpec old : merged.containers().values()) {
            if (!next.containers().containsKey(old.name())) {
                gone.add(old.name());
            }
        }
        for (ContainerSpec spec : next.containers().values()) {
            ContainerSpec old = merged.containers().get(spec.name());
            if (!spec.equals(old)) {
                lifecycle.register(spec);
                changes.add("container " + spec.name() + (old == null ? " is managed" : " changed"));
            }
        }
        // routes first, so no request is routed to a container about to be forgotten
        if (!next.routes().equals(merged.routes())
                || !next.automation().noWake().equals(merged.automation().noWake())) {
            routesSink.accept(Route.compile(next.routes(), next.automation().noWake()));
            changes.add("routes: " + next.routes().size() + " (were " + merged.routes().size() + ")");
        }
        for (String name : gone) {
            lifecycle.unregister(name);
            changes.add("container " + name + " is no longer managed (it is left as it is)");
        }
        merged = next;
        return changes;
    }

    @Override
    public void close() {
        containersListed.complete(null);
        servicesListed.complete(null);
        for (AutoCloseable s : new AutoCloseable[] {subscription, serviceSubscription}) {
            if (s != null) {
                try {
                    s.close();
                } catch (Exception e) {
                    log.debug("closing the label discovery subscription", e);
                }
            }
        }
    }
}
