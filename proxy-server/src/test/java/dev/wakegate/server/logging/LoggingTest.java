package dev.wakegate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
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
    void plainLinesEndWithTheStackTraceOfAnException() {
        Logging.configure(false);
        LoggerFactory.getLogger(LoggingTest.class).warn("probe failed", new IllegalStateException("refused"));
        String[] lines = output().split("\\R");
        assertThat(lines[0]).endsWith("WARN  [" + Thread.currentThread().getName() + "] LoggingTest - probe failed");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: refused");
        assertThat(lines[2]).startsWith("\tat dev.wakegate.server.logging.LoggingTest.plainLinesEndWithTheStackTraceOfAnException");
    }

    @Test
    void timestampsAreLogbackIso8601InUtc() {
        assertThat(timestamp(0)).isEqualTo("1970-01-01 00:00:00,000");
        assertThat(timestamp(1_700_000_000_123L)).isEqualTo("2023-11-14 22:13:20,123");
        assertThat(timestamp(1_700_000_000_005L)).isEqualTo("2023-11-14 22:13:20,005");
        assertThat(timestamp(1_700_000_000_050L)).isEqualTo("2023-11-14 22:13:20,050");
        assertThat(timestamp(-1)).isEqualTo("1969-12-31 23:59:59,999");
    }

    @Test
    void logbackStartsWithWakegateStdoutAppenderUnlessAFileIsNamed() {
        LoggerContext context = new LoggerContext();
        LogbackConfigurator configurator = new LogbackConfigurator();
        ClassLoader noLogbackFiles = new URLClassLoader(new URL[0], null);
        assertThat(configurator.configure(context, noLogbackFiles)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNotNull();
        assertThat(context.getLogger("io.lettuce").getLevel()).isEqualTo(Level.WARN);

        // the tests' logback-test.xml is on this class path: logback's own XML configurator takes over
        assertThat(configurator.configure(new LoggerContext(), LoggingTest.class.getClassLoader()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        System.setProperty("logback.configurationFile", "/etc/wakegate/logback.xml");
        try {
            assertThat(configurator.configure(new LoggerContext(), noLogbackFiles))
                    .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    private static String timestamp(long epochMillis) {
        StringBuilder out = new StringBuilder();
        TextLayout.appendTimestamp(out, epochMillis);
        return out.toString();
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
