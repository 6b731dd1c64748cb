package dev.wakegate.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's first configurator (a {@code META-INF/services} entry): when logback starts, it sets
 * up wakegate's stdout appender in code ({@link Logging#apply}), text or JSON as the environment
 * asks, so that logback never parses XML on the way to the first log line. It steps aside (and
 * logback's own XML configurator runs) when {@code -Dlogback.configurationFile} names a file or a
 * {@code logback-test.xml} is on the class path, as in the tests.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, LogbackConfigurator.class.getClassLoader());
    }

    ExecutionStatus configure(LoggerContext context, ClassLoader loader) {
        if (Logging.userConfigured() || (loader != null && loader.getResource("logback-test.xml") != null)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logging.apply(context, Logging.jsonFromEnvironment());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
