package dev.wakegate.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture for the files under {@code docker/}: finds the repository root from the working
 * directory (surefire runs in {@code proxy-server/}) and runs {@code docker-compose ... config},
 * which validates the files and prints them with anchors, profiles and variables resolved.
 */
final class ComposeFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ComposeFiles() {
    }

    /** The repository root: the nearest directory upwards that holds docker/docker-compose.yml. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/docker-compose.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docker/docker-compose.yml above " + dir);
    }

    static Path docker(String file) {
        return repoRoot().resolve("docker").resolve(file);
    }

    record Result(int exitCode, String stdout, String stderr) {
        JsonNode yaml() throws IOException {
            return YAML.readTree(stdout);
        }
    }

    /** {@code docker-compose -f FILE... config} with {@code env} added to this process's environment. */
    static Result config(Map<String, String> env, Path... files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker-compose"));
        for (Path f : files) {
            cmd.add("-f");
            cmd.add(f.toString());
        }
        cmd.add("config");
        return run(env, cmd);
    }

    /** Runs a command from the repository root, with a 60 s limit. */
    static Result run(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repoRoot().toFile());
        pb.environment().remove("DOCKER_GID");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("compose-config", ".out");
        Path err = Files.createTempFile("compose-config", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("did not finish in 60 s: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
