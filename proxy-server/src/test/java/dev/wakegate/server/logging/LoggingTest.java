package dev.wakegate.server.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoggingTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureStdout() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Logging.setLevel(Level.INFO);
        Logging.configure(false);
        System.setOut(original);
    }

    @Test
    void plainLinesCarryUtcTimestampLevelThreadLoggerAndMessage() {
        Logging.configure(false);
        LoggerFactory.getLogger(LoggingTest.class).info("started {} on {}", "grafana", "127.0.0.1:3000");
        assertThat(output().strip()).matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[[^]]+] LoggingTest - started grafana on 127.0.0.1:3000");
    }

    @Test
    void jsonLinesAreOneObjectPerEvent() throws Exception {
        Logging.configure(true);
        Logger log = LoggerFactory.getLogger(LoggingTest.class);
        log.info("started {}", "grafana");
        log.warn("stop of {} failed", "kibana");
        String[] lines = output().strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("loggerName").asText()).isEqualTo(LoggingTest.class.getName());
        assertThat(first.get("formattedMessage").asText()).isEqualTo("started grafana");
        assertThat(first.get("timestamp").asLong()).isPositive();
        assertThat(new ObjectMapper().readTree(lines[1]).get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void noisyLibrariesOnlyLogWarnings() {
        Logging.configure(false);
        LoggerFactory.getLogger("io.netty.channel.DefaultChannelPipeline").info("chatter");
        LoggerFactory.getLogger("com.github.dockerjava.core.DockerClientConfig").info("chatter");
        LoggerFactory.getLogger("io.lettuce.core.RedisClient").info("chatter");
        LoggerFactory.getLogger("io.netty.channel.DefaultChannelPipeline").warn("worth knowing");
        assertThat(output()).doesNotContain("chatter").contains("worth knowing");
    }

    @Test
    void jsonIsChosenByPropertyBeforeEnvironment() {
        assertThat(Logging.jsonRequested(null, Map.of())).isFalse();
        assertThat(Logging.jsonRequested(null, Map.of("WAKEGATE_LOG_JSON", "true"))).isTrue();
        assertThat(Logging.jsonRequested("TRUE", Map.of())).isTrue();
        assertThat(Logging.jsonRequested("false", Map.of("WAKEGATE_LOG_JSON", "true"))).isFalse();
    }

    private String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLevelOfWakegatesLoggersIsChosenByPropertyBeforeEnvironmentAndDefaultsToInfo() {
        assertThat(Logging.levelRequested(null, Map.of())).isEqualTo(Level.INFO);
        assertThat(Logging.levelRequested(null, Map.of("WAKEGATE_LOG_LEVEL", " Debug "))).isEqualTo(Level.DEBUG);
        assertThat(Logging.levelRequested("warn", Map.of("WAKEGATE_LOG_LEVEL", "debug"))).isEqualTo(Level.WARN);
        assertThat(Logging.levelRequested(null, Map.of("WAKEGATE_LOG_LEVEL", ""))).isEqualTo(Level.INFO);
    }

    @Test
    void aLevelThatIsNoneIsRefusedNamingTheVariableAndTheChoices() {
        assertThatThrownBy(() -> Logging.levelRequested(null, Map.of("WAKEGATE_LOG_LEVEL", "verbose")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WAKEGATE_LOG_LEVEL: 'verbose' is not a log level (one of error, warn, info, debug, trace)");
        assertThatThrownBy(() -> Logging.levelRequested("all", Map.of()))
                .hasMessageStartingWith("wakegate.log.level: 'all'");
    }

    @Test
    void atDebugTheDataPathsLinesShowAndLibrariesStayAtWarn() {
        Logging.configure(false);
        Logger relay = LoggerFactory.getLogger("dev.wakegate.relay.HttpFrontHandler");
        relay.debug("hidden at info");
        Logging.setLevel(Level.DEBUG);
        relay.debug("[id: 0x1] closing in state PROXYING: java.io.IOException: reset");
        LoggerFactory.getLogger("io.netty.channel.DefaultChannelPipeline").info("chatter");
        Logging.configure(true); // a later switch to JSON keeps the level
        relay.debug("still shown");
        assertThat(output()).doesNotContain("hidden at info").doesNotContain("chatter")
                .contains("DEBUG [").contains("HttpFrontHandler - [id: 0x1] closing in state PROXYING")
                .contains("still shown");
    }
}
