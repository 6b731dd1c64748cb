package dev.wakegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.config.EnvOverrides;
import dev.wakegate.testing.RepoFiles;
import dev.wakegate.server.logging.Logging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code wakegate --help} sends readers to the configuration reference of the repository (a file
 * that exists), and lists every environment variable the config loader reads.
 */
class MainHelpTest {

    private static String help() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPointsAtTheConfigurationReferenceThatTheRepositoryHas() {
        String help = help();

        assertThat(help).contains("docs/configuration.md").contains("config/demo.yml");
        assertThat(RepoFiles.path("docs/configuration.md")).isRegularFile();
        assertThat(RepoFiles.path("config/demo.yml")).isRegularFile();
    }

    @Test
    void helpListsEveryEnvironmentVariableTheLoaderReads() {
        String help = help();

        assertThat(EnvOverrides.VARIABLES).allSatisfy(v -> assertThat(help)
                .as("--help (Main.USAGE) should list %s, which EnvOverrides reads", v).contains(v));
        assertThat(help).as("and the logging's own variable").contains(Logging.LEVEL_ENV);
    }
}
