package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.wakegate.testing.ExampleCertificates;
import dev.wakegate.testing.Markdown;
import dev.wakegate.testing.Markdown.Fence;
import dev.wakegate.testing.Markdown.Heading;
import dev.wakegate.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/configuration.md true to the loader: every key {@link ConfigLoader} accepts (the
 * sections of {@link ConfigKeys}) has an entry there, and every entry names an accepted key; each
 * entry gives type, default, environment variable and label, and an example that loads as
 * {@code --check} loads it; the documented defaults are the loader's; the environment list is
 * what {@link EnvOverrides} reads and the label list what {@link LabelConfig} accepts; and the key
 * names README.md and docs/ mention exist. Adding a key, a variable or a label without documenting
 * it fails here, with what to add where.
 */
class ConfigReferenceTest {
    private static final String REFERENCE = "docs/configuration.md";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern KEY_HEADING = Pattern.compile("`([^`]+)`");
    private static final Pattern FACTS_HEADER = Pattern.compile("\\|\\s*Type\\s*\\|\\s*Default\\s*\\|\\s*Environment\\s*\\|\\s*Label\\s*\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9]*_[A-Z0-9_]+");
    private static final Pattern LABEL = Pattern.compile("wakegate\\.[a-z_]+");

    /**
     * What a section needs around it to load at all, for the tests that put one key into it:
     * required siblings only (a route needs a path and an address, TLS a listener and a certificate).
     */
    private static final Map<String, String> REQUIRED = Map.of(
            "routes[]", "{path: /, upstream: '127.0.0.1:9'}",
            "tcp[]", "{listen: '127.0.0.1:9001', upstream: '127.0.0.1:9'}",
            "tls", "{listen: '127.0.0.1:8443', certificates: [{cert: a.pem, key: a.key}]}");

    @TempDir
    Path dir;

    private static Markdown reference() {
        assertThat(RepoFiles.path(REFERENCE)).as("the configuration reference").isRegularFile();
        return new Markdown(RepoFiles.read(REFERENCE));
    }

    /** Every accepted key by its full name ({@code routes[].path}), with its section. */
    private static Map<String, ConfigKeys.Section> acceptedKeys() {
        Map<String, ConfigKeys.Section> out = new LinkedHashMap<>();
        for (ConfigKeys.Section s : ConfigKeys.sections()) {
            for (String key : s.keys()) {
                out.put(s.fullName(key), s);
            }
        }
        return out;
    }

    /** The reference's entries: headings that are one code span, by the key they name. */
    private static Map<String, Heading> entries(Markdown md) {
        Map<String, Heading> out = new LinkedHashMap<>();
        for (Heading h : md.headings()) {
            Matcher m = KEY_HEADING.matcher(h.text().trim());
            if (m.matches()) {
                Heading earlier = out.put(m.group(1), h);
                assertThat(earlier).as("%s has two entries for `%s` (lines %s and %s)", REFERENCE, m.group(1),
                        earlier == null ? 0 : earlier.line(), h.line()).isNull();
            }
        }
        return out;
    }

    /** Where a missing key's entry goes: the part of its top-level key. */
    private static String partOf(String fullKey) {
        String top = fullKey.split("[.\\[]", 2)[0];
        boolean isSection = ConfigKeys.sections().stream().anyMatch(s -> s.path().equals(top)
                || s.path().startsWith(top + ".") || s.path().startsWith(top + "["));
        return isSection ? "the part headed ## `" + top + "`" : "the part headed ## Top level";
    }

    // ---------------------------------------------------------------- keys

    @Test
    void everyKeyTheLoaderAcceptsHasAnEntryInTheReference() {
        Map<String, Heading> documented = entries(reference());
        List<String> missing = new ArrayList<>();
        for (String key : acceptedKeys().keySet()) {
            if (!documented.containsKey(key)) {
                missing.add("`" + key + "` (in " + partOf(key) + ")");
            }
        }
        assertThat(missing).as("ConfigLoader accepts these keys (declared in dev.wakegate.config.ConfigKeys) but "
                + REFERENCE + " has no entry for them. For each, add a heading ### `KEY` in the part named, then a"
                + " facts table | Type | Default | Environment | Label | with one row (write — where there is none),"
                + " a sentence or two on what it does and what is refused, and a ```yaml example that sets the key"
                + " and loads with --check").isEmpty();
    }

    @Test
    void everyEntryOfTheReferenceNamesAKeyTheLoaderAccepts() {
        Set<String> accepted = acceptedKeys().keySet();
        List<String> unknown = new ArrayList<>();
        entries(reference()).forEach((key, h) -> {
            if (!accepted.contains(key)) {
                unknown.add("`" + key + "` (line " + h.line() + ")");
            }
        });
        assertThat(unknown).as(REFERENCE + " has entries for keys ConfigLoader refuses: fix the name (full names"
                + " like routes[].path, containers.<name>.health.http) or remove the entry; accepted keys are"
                + " declared in dev.wakegate.config.ConfigKeys").isEmpty();
    }

    @Test
    void eachEntryGivesTypeDefaultEnvironmentLabelAndAnExampleThatSetsTheKey() throws IOException {
        Markdown md = reference();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Heading> e : entries(md).entrySet()) {
            String key = e.getKey();
            List<String> body = md.section(e.getValue());
            List<String> facts = facts(body);
            if (facts == null) {
                problems.add("`" + key + "`: no facts table (| Type | Default | Environment | Label |, then |---|...|,"
                        + " then one row)");
            } else if (facts.size() != 4 || facts.stream().anyMatch(String::isBlank)) {
                problems.add("`" + key + "`: the facts row needs four non-empty cells (— for none), got " + facts);
            }
            List<JsonNode> examples = yamlExamples(String.join("\n", body));
            if (examples.stream().noneMatch(tree -> sets(tree, key))) {
                problems.add("`" + key + "`: no ```yaml example that sets it");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The cells of the facts row under an entry, or null when it has none. */
    private static List<String> facts(List<String> body) {
        for (int i = 0; i + 2 < body.size(); i++) {
            if (FACTS_HEADER.matcher(body.get(i).trim()).matches()) {
                String row = body.get(i + 2).trim();
                if (!row.startsWith("|") || !row.endsWith("|")) {
                    return null;
                }
                List<String> cells = new ArrayList<>();
                for (String c : row.substring(1, row.length() - 1).split("\\|", -1)) {
                    cells.add(c.trim());
                }
                return cells;
            }
        }
        return null;
    }

    private static Map<String, List<String>> factsByKey(Markdown md) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        entries(md).forEach((key, h) -> {
            List<String> f = facts(md.section(h));
            if (f != null && f.size() == 4) {
                out.put(key, f);
            }
        });
        return out;
    }

    private static List<JsonNode> yamlExamples(String markdown) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Fence f : new Markdown(markdown).fences()) {
            if (f.info().equals("yaml")) {
                out.add(YAML.readTree(f.body()));
            }
        }
        return out;
    }

    /** True when the YAML sets {@code fullKey} somewhere: {@code containers.<name>.x} in any entry, {@code routes[].x} in any item. */
    static boolean sets(JsonNode tree, String fullKey) {
        List<JsonNode> level = List.of(tree);
        for (String segment : fullKey.split("\\.")) {
            List<JsonNode> next = new ArrayList<>();
            boolean list = segment.endsWith("[]");
            String name = list ? segment.substring(0, segment.length() - 2) : segment;
            for (JsonNode n : level) {
                if (n == null || !n.isObject()) {
                    continue;
                }
                if (name.equals("<name>")) {
                    n.elements().forEachRemaining(next::add);
                    continue;
                }
                JsonNode child = n.get(name);
                if (child == null) {
                    continue;
                }
                if (list && child.isArray()) {
                    child.elements().forEachRemaining(next::add);
                } else if (!list) {
                    next.add(child);
                }
            }
            level = next;
        }
        return !level.isEmpty();
    }

    @Test
    void everyYamlExampleInTheReferenceLoadsAsCheckLoadsIt() throws IOException {
        Markdown md = reference();
        List<String> refused = new ArrayList<>();
        int[] counts = loadExamples(md, REFERENCE, refused);
        assertThat(refused).as("examples in " + REFERENCE + " that wakegate --check refuses (a compose file's"
                + " snippet, with services:, has its wakegate.* labels checked instead)").isEmpty();
        assertThat(counts[0]).as("config examples loaded").isGreaterThan(acceptedKeys().size() / 2);
        assertThat(counts[1]).as("compose examples with labels").isPositive();
    }

    @Test
    void theYamlExampleOfTheReadmeLoadsAsCheckLoadsIt() throws IOException {
        List<String> refused = new ArrayList<>();
        int[] counts = loadExamples(new Markdown(RepoFiles.read("README.md")), "README.md", refused);
        assertThat(refused).as("examples in README.md that wakegate --check refuses").isEmpty();
        assertThat(counts[0]).as("config examples loaded").isPositive();
    }

    /** Loads every ```yaml block; returns how many configs and compose snippets it checked. */
    private int[] loadExamples(Markdown md, String name, List<String> refused) throws IOException {
        int loaded = 0;
        int compose = 0;
        for (Fence f : md.fences()) {
            if (!f.info().equals("yaml")) {
                continue;
            }
            JsonNode tree = YAML.readTree(f.body());
            if (tree != null && tree.has("services")) {
                compose++;
                refused.addAll(labelProblems(tree, name, f.line()));
                continue;
            }
            Path sub = Files.createTempDirectory(dir, "example");
            try {
                ConfigLoader.load(ExampleCertificates.materialise(f.body(), sub, "wakegate.yml"), Map.of());
                loaded++;
            } catch (ConfigException | IllegalArgumentException e) {
                refused.add(name + " line " + f.line() + ": " + e.getMessage());
            }
        }
        return new int[] {loaded, compose};
    }

    /** The wakegate.* labels of each service in a compose snippet, refused or not. */
    private static List<String> labelProblems(JsonNode compose, String name, int line) {
        List<String> out = new ArrayList<>();
        compose.get("services").fields().forEachRemaining(service -> {
            JsonNode labels = service.getValue().get("labels");
            if (labels == null) {
                return;
            }
            Map<String, String> map = new HashMap<>();
            if (labels.isArray()) {
                labels.forEach(l -> {
                    String[] kv = l.asText().split("=", 2);
                    map.put(kv[0], kv.length > 1 ? kv[1] : "");
                });
            } else {
                labels.fields().forEachRemaining(l -> map.put(l.getKey(), l.getValue().asText()));
            }
            try {
                if (LabelConfig.parse(service.getKey(), service.getKey(), map).isEmpty() && map.keySet().stream()
                        .anyMatch(k -> k.startsWith("wakegate."))) {
                    out.add(name + " line " + line + ": service " + service.getKey()
                            + " has wakegate.* labels but not wakegate.enable: \"true\"");
                }
            } catch (ConfigException e) {
                out.add(name + " line " + line + ": " + e.getMessage());
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void everyDefaultTheReferenceWritesAsAValueIsTheLoadersDefault() throws Exception {
        Map<String, ConfigKeys.Section> accepted = acceptedKeys();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<String>> e : factsByKey(reference()).entrySet()) {
            String key = e.getKey();
            Matcher m = Pattern.compile("`([^`]+)`").matcher(e.getValue().get(1));
            if (!m.matches() || !accepted.containsKey(key)) {
                continue; // a default in words ("the number of cores", "none"): nothing to compare
            }
            ConfigKeys.Section section = accepted.get(key);
            String name = key.substring(key.lastIndexOf('.') + 1);
            ObjectNode without = around(section.path());
            ObjectNode with = around(section.path());
            JsonNode value = YAML.readTree("v: " + m.group(1)).get("v");
            ObjectNode at = at(with, section.path());
            if (at.has(name)) {
                continue; // required, given by REQUIRED
            }
            at.set(name, value);
            checked++;
            try {
                ProxyConfig a = ConfigLoader.parse(YAML.writeValueAsString(with), "reference", Map.of());
                ProxyConfig b = ConfigLoader.parse(YAML.writeValueAsString(without), "reference", Map.of());
                if (!a.equals(b)) {
                    wrong.add("`" + key + "`: the reference says the default is " + m.group(1)
                            + ", but setting it to that gives another config than leaving it out");
                }
            } catch (ConfigException ex) {
                wrong.add("`" + key + "`: the documented default " + m.group(1) + " is refused: " + ex.getMessage());
            }
        }
        assertThat(checked).as("defaults written as values").isGreaterThan(20);
        assertThat(wrong).as("defaults in " + REFERENCE + " that are not the loader's (fix the Default cell)").isEmpty();
    }

    /** A config tree with an (empty but loadable) mapping at {@code sectionPath}. */
    private static ObjectNode around(String sectionPath) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        at(root, sectionPath);
        return root;
    }

    /** The mapping at {@code sectionPath} in {@code root}, made (with its required siblings) when absent. */
    private static ObjectNode at(ObjectNode root, String sectionPath) {
        ObjectNode node = root;
        if (sectionPath.isEmpty()) {
            return node;
        }
        StringBuilder path = new StringBuilder();
        for (String segment : sectionPath.split("\\.")) {
            boolean list = segment.endsWith("[]");
            String name = list ? segment.substring(0, segment.length() - 2) : segment;
            if (name.equals("<name>")) {
                name = "c";
            }
            path.append(path.length() == 0 ? "" : ".").append(segment);
            JsonNode child = node.get(name);
            if (list) {
                ArrayNode array = child instanceof ArrayNode a ? a : node.putArray(name);
                if (array.isEmpty()) {
                    array.addObject();
                }
                node = (ObjectNode) array.get(0);
            } else {
                node = child instanceof ObjectNode o ? o : node.putObject(name);
            }
            String required = REQUIRED.get(path.toString());
            if (required != null) {
                try {
                    ObjectNode given = (ObjectNode) YAML.readTree(required);
                    ObjectNode target = node;
                    given.fields().forEachRemaining(f -> {
                        if (!target.has(f.getKey())) {
                            target.set(f.getKey(), f.getValue());
                        }
                    });
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return node;
    }

    @Test
    void eachSectionOfConfigKeysIsWhatTheLoaderEnforcesAtThatPlace() throws IOException {
        for (ConfigKeys.Section s : ConfigKeys.sections()) {
            ObjectNode tree = around(s.path());
            at(tree, s.path()).put("no_such_key", 1);
            String concrete = s.path().replace("<name>", "c").replace("[]", "[0]");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.parse(YAML.writeValueAsString(tree), "wakegate.yml", Map.of()));
            assertThat(e).as("an unknown key in %s", s).isNotNull();
            assertThat(e.key()).as("%s", s).isEqualTo(YamlSection.join(concrete, "no_such_key"));
            assertThat(e.reason()).as("%s", s)
                    .isEqualTo("unknown key (expected one of " + String.join(", ", new TreeSet<>(s.keys())) + ")");
        }
    }

    @Test
    void everySectionHangsOffAKeyOfItsParent() {
        Set<String> keys = acceptedKeys().keySet();
        for (ConfigKeys.Section s : ConfigKeys.sections()) {
            if (s.path().isEmpty()) {
                continue;
            }
            String parentKey = s.path().endsWith("[]") ? s.path().substring(0, s.path().length() - 2)
                    : s.path().endsWith(".<name>") ? s.path().substring(0, s.path().length() - ".<name>".length())
                    : s.path();
            assertThat(keys).as("the key that holds section %s", s).contains(parentKey);
        }
    }

    // ---------------------------------------------------------------- environment

    /** The rows of the table whose header row starts with {@code | first |}, by their first cell's code. */
    private static Map<String, List<String>> table(Markdown md, String first) {
        String[] lines = md.text().split("\n");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().matches("\\|\\s*" + first + "\\s*\\|.*")) {
                for (int j = i + 2; j < lines.length && lines[j].trim().startsWith("|"); j++) {
                    String row = lines[j].trim();
                    List<String> cells = new ArrayList<>();
                    for (String c : row.substring(1, row.length() - 1).split("\\|", -1)) {
                        cells.add(c.trim());
                    }
                    Matcher m = CODE.matcher(cells.get(0));
                    if (m.matches()) {
                        out.put(m.group(1), cells);
                    }
                }
            }
        }
        return out;
    }

    /** What {@code from} has that {@code in} lacks, sorted. */
    private static Set<String> missing(java.util.Collection<String> from, java.util.Collection<String> in) {
        Set<String> out = new TreeSet<>(from);
        out.removeAll(in);
        return out;
    }

    private static List<String> codes(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void envOverridesReadsExactlyTheVariablesItLists() throws ConfigException {
        Set<String> read = new LinkedHashSet<>();
        Map<String, String> recording = new HashMap<>() {
            @Override
            public String get(Object key) {
                read.add((String) key);
                return null;
            }
        };
        EnvOverrides.apply(ConfigLoader.defaults(), recording);
        assertThat(read).as("variables EnvOverrides.apply reads; add a new one to EnvOverrides.VARIABLES")
                .containsExactlyInAnyOrderElementsOf(EnvOverrides.VARIABLES);
    }

    @Test
    void theEnvironmentListIsWhatTheLoaderReadsAndEachExampleTakesEffect() {
        Markdown md = reference();
        Map<String, List<String>> rows = table(md, "Variable");
        assertThat(missing(EnvOverrides.VARIABLES, rows.keySet())).as("EnvOverrides reads these variables but the"
                + " table | Variable | Overrides | Value | Example | in " + REFERENCE + " (part ## Environment variables)"
                + " has no row for them: add | `VARIABLE` | [`key`](#anchor) it overrides | value, with its unit |"
                + " `example` |, and name the variable in the key's Environment cell").isEmpty();
        assertThat(missing(rows.keySet(), EnvOverrides.VARIABLES)).as("rows of the environment table in " + REFERENCE
                + " for variables EnvOverrides does not read (EnvOverrides.VARIABLES): remove or rename them").isEmpty();
        ProxyConfig defaults = ConfigLoader.defaults();
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            List<String> cells = row.getValue();
            assertThat(cells).as("row of %s", row.getKey()).hasSize(4);
            List<String> example = codes(cells.get(3));
            assertThat(example).as("the example of %s", row.getKey()).hasSize(1);
            ProxyConfig applied;
            try {
                applied = EnvOverrides.apply(defaults, Map.of(row.getKey(), example.get(0)));
            } catch (ConfigException e) {
                throw new AssertionError(REFERENCE + ": the example " + row.getKey() + "=" + example.get(0)
                        + " is refused: " + e.getMessage());
            }
            assertThat(applied).as("%s=%s changes the config", row.getKey(), example.get(0)).isNotEqualTo(defaults);
        }
    }

    @Test
    void variablesAndTheKeysTheyOverrideNameEachOther() {
        Markdown md = reference();
        Map<String, List<String>> facts = factsByKey(md);
        Set<String> keys = acceptedKeys().keySet();
        List<String> problems = new ArrayList<>();
        table(md, "Variable").forEach((variable, cells) -> {
            for (String key : codes(cells.get(1))) {
                if (keys.contains(key) && !facts.getOrDefault(key, List.of("", "", "", "")).get(2).contains(variable)) {
                    problems.add("`" + key + "`'s Environment cell should name " + variable);
                }
            }
        });
        facts.forEach((key, cells) -> {
            Matcher m = VARIABLE.matcher(cells.get(2));
            while (m.find()) {
                String variable = m.group();
                List<String> row = table(md, "Variable").get(variable);
                if (row == null) {
                    problems.add("`" + key + "` names " + variable + ", which is not in the environment list");
                } else if (!codes(row.get(1)).contains(key)) {
                    problems.add(variable + "'s Overrides cell should name `" + key + "`");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableReadInTheSourcesIsInTheReference() throws IOException {
        Pattern getenv = Pattern.compile("getenv\\(\"([A-Z0-9_]+)\"\\)");
        Pattern named = Pattern.compile("\"((?:CONTAINER|WAKEGATE)_[A-Z0-9_]+|REDIS_URL|DOCKER_HOST)\"");
        Set<String> found = new TreeSet<>();
        for (String module : List.of("proxy-core", "proxy-server")) {
            try (Stream<Path> files = Files.walk(RepoFiles.path(module + "/src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = RepoFiles.read(f);
                    for (Pattern p : List.of(getenv, named)) {
                        Matcher m = p.matcher(text);
                        while (m.find()) {
                            found.add(m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(found).as("variables read by the code").contains(EnvOverrides.DOCKER_HOST);
        Set<String> missing = new TreeSet<>(found);
        missing.removeAll(reference().codeSpans());
        assertThat(missing).as("environment variables the code reads but " + REFERENCE + " does not name (in `code`):"
                + " an override goes in the table of ## Environment variables, anything else in the list below it")
                .isEmpty();
    }

    // ---------------------------------------------------------------- labels

    @Test
    void theLabelListIsWhatLabelConfigAcceptsAndEachExampleIsAccepted() {
        Map<String, List<String>> rows = table(reference(), "Label");
        assertThat(missing(LabelConfig.KNOWN, rows.keySet())).as("LabelConfig accepts these labels (LabelConfig.KNOWN)"
                + " but the table | Label | Sets | Value | Example | in " + REFERENCE + " (part ## Labels) has no row"
                + " for them: add | `wakegate.x` | [`key`](#anchor) it sets | values | `example` |, and name the label"
                + " in the key's Label cell").isEmpty();
        assertThat(missing(rows.keySet(), LabelConfig.KNOWN)).as("rows of the label table in " + REFERENCE
                + " for labels LabelConfig refuses: remove or rename them").isEmpty();
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            String label = row.getKey();
            List<String> example = codes(row.getValue().get(3));
            assertThat(example).as("the example of %s", label).hasSize(1);
            Map<String, String> labels = new HashMap<>();
            labels.put(LabelConfig.ENABLE, "true");
            if (!label.equals(LabelConfig.UPSTREAM)) {
                labels.put(LabelConfig.PORT, "8080");
            }
            if (label.equals(LabelConfig.PORT)) {
                labels.remove(LabelConfig.PORT);
            }
            labels.put(label, example.get(0));
            try {
                // wakegate.replicas is a Swarm service's label: a container's labels refuse it
                assertThat(label.equals(LabelConfig.REPLICAS) ? LabelConfig.parseService("c", labels)
                        : LabelConfig.parse("c", "c", labels)).as("%s=%s", label, example.get(0)).isPresent();
            } catch (ConfigException e) {
                throw new AssertionError(REFERENCE + ": the example " + label + "=" + example.get(0)
                        + " is refused: " + e.getMessage());
            }
        }
    }

    @Test
    void labelsAndTheKeysTheySetNameEachOther() {
        Markdown md = reference();
        Map<String, List<String>> facts = factsByKey(md);
        Map<String, List<String>> labelRows = table(md, "Label");
        Set<String> keys = acceptedKeys().keySet();
        List<String> problems = new ArrayList<>();
        labelRows.forEach((label, cells) -> {
            for (String key : codes(cells.get(1))) {
                if (!keys.contains(key)) {
                    problems.add(label + "'s Sets cell names `" + key + "`, which is no config key");
                } else if (!facts.getOrDefault(key, List.of("", "", "", "")).get(3).contains(label)) {
                    problems.add("`" + key + "`'s Label cell should name " + label);
                }
            }
        });
        facts.forEach((key, cells) -> {
            Matcher m = LABEL.matcher(cells.get(3));
            while (m.find()) {
                List<String> row = labelRows.get(m.group());
                if (row == null) {
                    problems.add("`" + key + "` names " + m.group() + ", which is not in the label list");
                } else if (!codes(row.get(1)).contains(key)) {
                    problems.add(m.group() + "'s Sets cell should name `" + key + "`");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    // ---------------------------------------------------------------- key names elsewhere

    @Test
    void everyConfigKeyNamedInReadmeAndDocsExists() throws IOException {
        Set<String> keys = acceptedKeys().keySet();
        Set<String> sectionPaths = new TreeSet<>();
        ConfigKeys.sections().forEach(s -> sectionPaths.add(s.path()));
        Set<String> roots = new TreeSet<>(ConfigKeys.ROOT.keys());
        Pattern keyLike = Pattern.compile("([a-z_]+)((?:\\.[A-Za-z0-9_<>*-]+|\\[\\d*])+)");
        List<Path> files = new ArrayList<>();
        files.add(RepoFiles.path("README.md"));
        try (Stream<Path> docs = Files.list(RepoFiles.path("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path f : files) {
            for (String span : new Markdown(RepoFiles.read(f)).codeSpans()) {
                Matcher m = keyLike.matcher(span);
                if (!m.matches() || !roots.contains(m.group(1))) {
                    continue;
                }
                String normal = normalise(span);
                checked++;
                if (!keys.contains(normal) && !sectionPaths.contains(normal)) {
                    unknown.add(RepoFiles.root().relativize(f) + ": `" + span + "`");
                }
            }
        }
        assertThat(checked).as("key names found").isGreaterThan(50);
        assertThat(unknown).as("key names in README.md and docs/ that ConfigLoader does not accept").isEmpty();
    }

    /** {@code routes[2].containers[0]} as {@code routes[].containers}, {@code containers.grafana.x} as {@code containers.<name>.x}. */
    static String normalise(String keyPath) {
        String s = keyPath.replaceAll("\\[\\d+]", "[]");
        if (s.startsWith("containers.")) {
            String[] parts = s.split("\\.", 3);
            s = "containers.<name>" + (parts.length > 2 ? "." + parts[2] : "");
        }
        while (s.endsWith("[]")) {
            s = s.substring(0, s.length() - 2);
        }
        return s;
    }
}
