package dev.wakegate.provider.docker;

import com.github.dockerjava.transport.SSLConfig;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The {@link SSLConfig} {@link DockerProvider} gives docker-java's zerodep transport for an engine
 * on a unix socket without {@code DOCKER_TLS_VERIFY} (a {@code tcp://} engine gets none: given
 * any SSL config, zerodep speaks https to it).
 *
 * <p>Given no SSL config, the transport builds the JVM's default SSL context anyway, for an
 * {@code https} scheme that such an engine never uses: JSSE's start-up and the parsing of the
 * whole system trust store, ~100 ms and some 400 classes before the first container listing, that
 * is, before the proxy can answer. This context is inert instead: it never starts JSSE, and would
 * fail with a clear message were it ever asked for a connection.
 */
final class PlainTransport implements SSLConfig {
    static final PlainTransport INSTANCE = new PlainTransport();
    static final String NOT_TLS = "the docker engine is configured without TLS (set DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for TLS)";

    private final SSLContext context = new InertContext();

    private PlainTransport() {
    }

    @Override
    public SSLContext getSSLContext() {
        return context;
    }

    private static final class InertContext extends SSLContext {
        InertContext() {
            super(new InertSpi(), new Provider("wakegate-plain-docker-transport", "1", "no TLS") {
                private static final long serialVersionUID = 1L;
            }, "none");
        }
    }

    private static final class InertSpi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new IllegalStateException(NOT_TLS);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new IllegalStateException(NOT_TLS);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new IllegalStateException(NOT_TLS);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new IllegalStateException(NOT_TLS);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw new IllegalStateException(NOT_TLS);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw new IllegalStateException(NOT_TLS);
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw new IllegalStateException(NOT_TLS);
        }
    }
}
