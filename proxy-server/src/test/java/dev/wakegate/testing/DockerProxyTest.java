package dev.wakegate.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of end-to-end tests that need a {@link DockerFixture} and (usually) one proxy: a fresh
 * fixture per test, and after it the proxy closed and the fixture's containers removed.
 */
public abstract class DockerProxyTest {
    protected DockerFixture docker;
    protected WakegateHarness proxy;

    @BeforeEach
    void createDockerFixture() {
        docker = new DockerFixture();
    }

    @AfterEach
    void closeProxyAndRemoveContainers() {
        if (proxy != null) {
            proxy.close();
        }
        docker.close();
    }
}
