package dev.wakegate.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, enough to check what
 * {@code /health/metrics} serves: every line is a HELP, a TYPE or a sample with a valid name,
 * well-formed labels and a float value.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\"";
    private static final String VALUE = "(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|[-+]Inf)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (" + VALUE + ")(?: -?\\d+)?");

    public record Sample(String name, String labels, double value) {
    }

    public final List<Sample> samples = new ArrayList<>();
    public final Set<String> typedNames = new LinkedHashSet<>();

    public static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                parsed.typedNames.add(m.group(1));
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                parsed.samples.add(new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), parseValue(m.group(3))));
            } else {
                throw new AssertionError("line " + lineNo + " is not Prometheus text format: " + line);
            }
        }
        return parsed;
    }

    /** The value of the one sample with this name whose labels contain every given fragment. */
    public double value(String name, String... labelFragments) {
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> {
                    for (String f : labelFragments) {
                        if (!s.labels().contains(f)) {
                            return false;
                        }
                    }
                    return true;
                })
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " with " + List.of(labelFragments)
                    + ", found " + found);
        }
        return found.get(0).value();
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }
}
