package dev.wakegate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.tls.TlsContexts;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

/** The HTTPS listener on OpenSSL (BoringSSL from netty-tcnative), the provider used wherever it loads. */
class TlsListenerOpenSslTest extends TlsListenerTests {
    @Override
    SslProvider provider() {
        return SslProvider.OPENSSL;
    }

    @Test
    void openSslLoadsOnThisPlatformAndIsTheProviderChosen() {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsContexts.provider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsContexts.describe(SslProvider.OPENSSL)).startsWith("OpenSSL (BoringSSL");
    }
}
