package dev.wakegate.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much memory the engine's containers can still get: the seam the {@link IdleEvictor} reads once
 * per idle check when {@code automation.min_free_memory} is set. Empty means unknown, and nothing
 * sleeps early then.
 *
 * <p>The default reads {@code MemAvailable} from {@code /proc/meminfo}, not the proxy's own cgroup:
 * the containers it wakes are not in the proxy's cgroup, so the proxy's cgroup limit says nothing
 * about them. Inside a container {@code /proc/meminfo} shows the host's memory (unless lxcfs rewrites
 * it), which is the pool the engine's containers draw from.
 */
@FunctionalInterface
public interface MemoryGauge {

    /** Bytes available now; empty when they cannot be read. Called on the lifecycle's lane: must not block long. */
    OptionalLong availableBytes();

    /** {@code MemAvailable} of {@code /proc/meminfo}. */
    MemoryGauge PROC_MEMINFO = procMeminfo(Path.of("/proc/meminfo"));

    /** {@code MemAvailable} of a file in {@code /proc/meminfo}'s format; empty when it is missing or unreadable. */
    static MemoryGauge procMeminfo(Path file) {
        return () -> {
            try {
                return parseMemAvailable(Files.readAllLines(file, StandardCharsets.US_ASCII));
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
        };
    }

    /** The {@code MemAvailable:  123456 kB} line in bytes; empty without one that parses. */
    static OptionalLong parseMemAvailable(List<String> lines) {
        for (String line : lines) {
            if (!line.startsWith("MemAvailable:")) {
                continue;
            }
            String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
            try {
                long n = Long.parseLong(parts[0]);
                long unit = parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1;
                return n < 0 || n > Long.MAX_VALUE / unit ? OptionalLong.empty() : OptionalLong.of(n * unit);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
