package dev.wakegate.testing;

import io.netty.buffer.ByteBuf;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LeakCheckSelfTest {

    @Test
    void recordsALeakedBuffer() {
        // the leak is made on purpose: keep its report out of the log, where it would read as a real one
        Logger detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        Level level = detectorLog.getLevel();
        detectorLog.setLevel(Level.OFF);
        try {
            leakAndAwaitTheReport();
        } finally {
            detectorLog.setLevel(level);
        }
    }

    @Test
    void failsTheTestClassThatLeaked() {
        Logger detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        Level level = detectorLog.getLevel();
        detectorLog.setLevel(Level.OFF);
        try {
            leakOne();
            ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ExtensionContext.class}, (proxy, method, args) ->
                            method.getName().equals("getDisplayName") ? "LeakyTest" : null);
            await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> new LeakCheckExtension().afterAll(context))
                            .isInstanceOf(AssertionError.class)
                            .hasMessageContaining("ByteBuf leak(s) reported while LeakyTest ran"));
        } finally {
            detectorLog.setLevel(level);
            RecordingLeakDetector.REPORTS.clear();
        }
    }

    private static void leakAndAwaitTheReport() {
        leakOne();
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            System.gc();
            PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
            return !RecordingLeakDetector.REPORTS.isEmpty();
        });
        assertThat(RecordingLeakDetector.REPORTS).anySatisfy(r -> assertThat(r).contains("LEAK"));
        RecordingLeakDetector.REPORTS.clear(); // this leak was made on purpose
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        leaked.writeByte(1);
    }
}
