package dev.wakegate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Fails a test class when Netty reported a ByteBuf leak while it ran. Registered for every test
 * through JUnit's extension auto-detection (META-INF/services + junit-platform.properties).
 *
 * <p>Leaks are only noticed when a leaked buffer has been collected and a later allocation polls
 * the detector's queue, so after each class this forces a few GCs and allocations first.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 64; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                b.release();
            }
        }
        List<String> leaks = new ArrayList<>(RecordingLeakDetector.REPORTS);
        RecordingLeakDetector.REPORTS.clear();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported while "
                    + context.getDisplayName() + " ran:\n" + String.join("\n\n", leaks));
        }
    }
}
