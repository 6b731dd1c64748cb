package dev.wakegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.server.logging.Logging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log level that is none refuses the start before anything else, naming the setting and the choices. */
class MainLogLevelTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(Logging.LEVEL_PROPERTY);
        Logging.configure(false);
    }

    @Test
    void anUnknownLogLevelRefusesTheStartWithExitCode2() throws Exception {
        Path config = Files.writeString(dir.resolve("wakegate.yml"), "routes: [ { path: /, upstream: 127.0.0.1:9 } ]\n");
        System.setProperty(Logging.LEVEL_PROPERTY, "verbose");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--config", config.toString(), "--check"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "refusing to start: wakegate.log.level: 'verbose' is not a log level (one of error, warn, info, debug, trace)");
    }
}
