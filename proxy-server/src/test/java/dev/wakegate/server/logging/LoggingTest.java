package dev.wakegate.server.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
