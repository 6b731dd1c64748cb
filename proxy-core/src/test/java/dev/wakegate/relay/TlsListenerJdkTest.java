package dev.wakegate.relay;

import io.netty.handler.ssl.SslProvider;

/** The HTTPS listener on the JDK's TLS, the fallback where netty-tcnative does not load. */
class TlsListenerJdkTest extends TlsListenerTests {
    @Override
    SslProvider provider() {
        return SslProvider.JDK;
    }
}
