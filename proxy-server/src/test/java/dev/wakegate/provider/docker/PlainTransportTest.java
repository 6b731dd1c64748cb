package dev.wakegate.provider.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.Security;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inert TLS context for an engine reached without TLS. */
class PlainTransportTest {

    @Test
    void aContextForNoTlsRefusesEveryUseWithAClearMessage() {
        var context = PlainTransport.INSTANCE.getSSLContext();
        assertThat(context.getProtocol()).isEqualTo("none");
        assertThatThrownBy(context::createSSLEngine).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without TLS").hasMessageContaining("DOCKER_TLS_VERIFY");
        assertThatThrownBy(context::getSocketFactory).isInstanceOf(IllegalStateException.class);
        // not registered as a JCA provider: nothing else in the JVM can pick it up
        assertThat(Arrays.stream(Security.getProviders()).map(p -> p.getName()))
                .doesNotContain(context.getProvider().getName());
    }

    @Test
    void theTransportTakesItForAPlainEngineAndDockerJavaAsksForNoTls() throws Exception {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").withDockerTlsVerify(false).build();
        assertThat(config.getSSLConfig()).as("docker-java's own config for a plain engine").isNull();
        try (var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///var/run/docker.sock"))
                .sslConfig(PlainTransport.INSTANCE).build()) {
            assertThat(http).isNotNull();
        }
    }
}
