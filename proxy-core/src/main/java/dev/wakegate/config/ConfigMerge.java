package dev.wakegate.config;

import dev.wakegate.config.LabelConfig.Labelled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Adds label-configured containers ({@link LabelConfig}) to a loaded config. YAML wins: a container
 * declared in YAML keeps its YAML spec, and a host and path declared in YAML keeps its YAML route.
 * The merged result is checked like a file (unknown dependencies, cycles, a path claimed by the
 * labels of two containers). Called by the discovery in proxy-server whenever the set changes; the
 * base config is never modified.
 */
public final class ConfigMerge {
    private ConfigMerge() {
    }

    public static ProxyConfig withLabels(ProxyConfig base, Collection<Labelled> labelled) throws ConfigException {
        String yamlFile = base.source().map(Object::toString).orElse("config");
        Map<String, ContainerSpec> containers = new LinkedHashMap<>(base.containers());
        Set<String> yamlKeys = new HashSet<>(); // host + path, as RouteSpec.tableKeys
        for (RouteSpec r : base.routes()) {
            yamlKeys.addAll(r.tableKeys());
        }
        Map<String, String> labelKeys = new HashMap<>(); // host + path -> labels that declared it
        List<RouteSpec> routes = new ArrayList<>(base.routes());

        for (Labelled l : labelled) {
            String name = l.spec().name();
            if (!containers.containsKey(name)) {
                containers.put(name, l.spec());
            } else if (containers.get(name).fromLabels()) {
                throw new ConfigException(ConfigChecks.labelsFile(l.spec()), LabelConfig.ENABLE,
                        "another container with labels is already managed as '" + name + "'");
            }
        }
        for (Labelled l : labelled) {
            ContainerSpec spec = Objects.requireNonNull(containers.get(l.spec().name())); // put above
            if (spec.fromLabels()) {
                containers.put(spec.name(), withComposeDependencies(spec, l.composeDependsOn(), containers));
            }
        }
        for (Labelled l : labelled) {
            ContainerSpec winner = Objects.requireNonNull(containers.get(l.spec().name()));
            String file = ConfigChecks.labelsFile(l.spec());
            for (RouteSpec r : l.routes()) {
                // YAML wins, host by host: a label route keeps the hosts YAML does not route on its path
                List<String> hosts = r.hosts().stream().filter(h -> !yamlKeys.contains(h + r.path())).toList();
                if (r.hosts().isEmpty() ? yamlKeys.contains(r.path()) : hosts.isEmpty()) {
                    continue;
                }
                List<String> keys = new RouteSpec(r.path(), r.containers(), r.upstream(), r.upstreamName(),
                        r.waitingPage(), hosts).tableKeys();
                for (String key : keys) {
                    String owner = labelKeys.get(key);
                    if (owner != null) {
                        throw new ConfigException(file, LabelConfig.ROUTE,
                                "route " + key + " is also declared by " + owner);
                    }
                }
                keys.forEach(k -> labelKeys.put(k, file));
                // When YAML declares the container, its address wins over the label's as well.
                HostPort upstream = winner.upstream().orElse(r.upstream());
                routes.add(new RouteSpec(r.path(), r.containers(), upstream, r.upstreamName(), r.waitingPage(),
                        hosts));
            }
        }
        ConfigChecks.checkDependencies(yamlFile, containers);
        return base.withRoutes(containers, routes);
    }

    /** Adds the compose dependencies wakegate manages (and the labels did not list) to {@code depends_on}. */
    private static ContainerSpec withComposeDependencies(ContainerSpec spec, List<String> composeDependsOn,
                                                         Map<String, ContainerSpec> managed) {
        List<String> deps = new ArrayList<>(spec.dependsOn());
        for (String dep : composeDependsOn) {
            if (managed.containsKey(dep) && !deps.contains(dep) && !dep.equals(spec.name())) {
                deps.add(dep);
            }
        }
        if (deps.size() == spec.dependsOn().size()) {
            return spec;
        }
        return spec.withDependsOn(deps);
    }
}
