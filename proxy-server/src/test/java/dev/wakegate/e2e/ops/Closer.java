package dev.wakegate.e2e.ops;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (proxies, Redis views, servers), closed in reverse order after it. */
final class Closer implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** For a test that closes {@code c} itself (e.g. to restart it). */
    void forget(AutoCloseable c) {
        open.remove(c);
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }
}
