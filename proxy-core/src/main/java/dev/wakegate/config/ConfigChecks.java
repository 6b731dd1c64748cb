package dev.wakegate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Cross-reference checks shared by {@link ConfigLoader} (a YAML file) and {@link ConfigMerge}
 * (YAML plus Docker labels): every {@code depends_on} names a known container and the
 * dependencies form no cycle. Errors point at the YAML key or the label that introduced the edge.
 */
final class ConfigChecks {
    private ConfigChecks() {
    }

    static String labelsFile(String containerName) {
        return "labels of container " + containerName;
    }

    static String serviceLabelsFile(String serviceName) {
        return "labels of service " + serviceName;
    }

    /** Where a label-configured entry came from: a container's labels or a Swarm service's. */
    static String labelsFile(ContainerSpec spec) {
        return spec.workload().isService() ? serviceLabelsFile(spec.name()) : labelsFile(spec.name());
    }

    /** Where a container's depends_on entry was written: its YAML key, or its label. */
    static ConfigException dependencyError(String yamlFile, ContainerSpec spec, int index, String reason) {
        if (spec.fromLabels()) {
            return new ConfigException(labelsFile(spec), LabelConfig.DEPENDS_ON, reason);
        }
        String key = "containers." + spec.name() + ".depends_on" + (index >= 0 ? "[" + index + "]" : "");
        return new ConfigException(yamlFile, key, reason);
    }

    static void checkDependencies(String yamlFile, Map<String, ContainerSpec> containers) throws ConfigException {
        for (ContainerSpec spec : containers.values()) {
            List<String> deps = spec.dependsOn();
            for (int i = 0; i < deps.size(); i++) {
                if (!containers.containsKey(deps.get(i))) {
                    throw dependencyError(yamlFile, spec, i,
                            "container '" + deps.get(i) + "' is not declared under containers: (nor by labels)");
                }
            }
        }
        List<String> cycle = findCycle(containers);
        if (cycle != null) {
            ContainerSpec first = Objects.requireNonNull(containers.get(cycle.get(0)));
            throw dependencyError(yamlFile, first, first.dependsOn().indexOf(cycle.get(1)),
                    "dependency cycle: " + String.join(" -> ", cycle));
        }
    }

    /** A cycle as {@code [a, b, a]}, or null; searched in declaration order so the report is stable. */
    static @Nullable List<String> findCycle(Map<String, ContainerSpec> containers) {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the stack, 2: done
        for (String start : containers.keySet()) {
            List<String> cycle = visit(start, containers, state, new ArrayList<>());
            if (cycle != null) {
                return cycle;
            }
        }
        return null;
    }

    private static @Nullable List<String> visit(String name, Map<String, ContainerSpec> containers, Map<String, Integer> state,
                                      List<String> stack) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(name), stack.size()));
            cycle.add(name);
            return cycle;
        }
        state.put(name, 1);
        stack.add(name);
        ContainerSpec spec = containers.get(name);
        if (spec != null) {
            for (String dep : spec.dependsOn()) {
                List<String> cycle = visit(dep, containers, state, stack);
                if (cycle != null) {
                    return cycle;
                }
            }
        }
        stack.remove(stack.size() - 1);
        state.put(name, 2);
        return null;
    }
}
