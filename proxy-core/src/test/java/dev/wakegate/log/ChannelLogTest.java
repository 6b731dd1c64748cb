package dev.wakegate.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.wakegate.log.ChannelLogTest.subject");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final ChannelLog log = new ChannelLog(logger, 3, now::get);

    ChannelLogTest() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void aLineNamesTheChannelFirstThenWhatHappenedThenTheCause() {
        log.debug("[id: 0x1, L:/127.0.0.1:8000 - R:/127.0.0.1:5000]", "closing", new IOException("Connection reset by peer"));
        assertThat(lines.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).isEqualTo(
                    "[id: 0x1, L:/127.0.0.1:8000 - R:/127.0.0.1:5000] closing: java.io.IOException: Connection reset by peer");
            assertThat(e.getThrowableProxy()).isNull(); // an I/O error is one line
        });
    }

    @Test
    void anExceptionThatMayBeABugComesWithItsStackTrace() {
        log.debug("ch", "closing", new IllegalStateException("illegal connection state transition"));
        assertThat(lines.list).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage())
                    .isEqualTo("ch closing: java.lang.IllegalStateException: illegal connection state transition");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
        });
    }

    @Test
    void aFloodIsCutToTheRateAndTheNextLineSaysHowManyWereLeftOut() {
        for (int i = 0; i < 10; i++) {
            log.debug("ch" + i, "closing");
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("ch0 closing", "ch1 closing", "ch2 closing");
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        log.debug("ch10", "closing");
        assertThat(lines.list).last().extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo("ch10 closing (7 similar lines left out before this one)");
        log.debug("ch11", "closing");
        assertThat(lines.list).last().extracting(ILoggingEvent::getFormattedMessage).isEqualTo("ch11 closing");
    }

    @Test
    void withDebugOffNothingIsWrittenNorCounted() {
        logger.setLevel(Level.INFO);
        for (int i = 0; i < 10; i++) {
            log.debug("ch", "closing", new IOException("reset"));
        }
        logger.setLevel(Level.DEBUG);
        log.debug("ch", "closing");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("ch closing");
    }
}
