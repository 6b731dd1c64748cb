package dev.wakegate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeakCheckSelfTest {

    @Test
    void recordsALeakedBuffer() {
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
