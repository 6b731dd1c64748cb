/**
 * The data path: {@link dev.wakegate.relay.FrontServer} binds the HTTP listener and the TCP
 * listeners on one event-loop group; each HTTP connection has a single
 * {@link dev.wakegate.relay.HttpFrontHandler} (a {@link dev.wakegate.relay.FrontState} machine)
 * that parses heads with {@code http1.RequestHeadParser}, routes each request with the current
 * {@code RouteTrie}, answers locally, parks (see {@code dev.wakegate.park}) or forwards through an
 * {@link dev.wakegate.relay.UpstreamExchange} over a keep-alive connection from the event loop's
 * {@link dev.wakegate.relay.UpstreamPool}, whose
 * {@link dev.wakegate.relay.UpstreamConnection} frames responses with {@code http1.BodyFramer}.
 * A 101 and the TCP listeners end in a pair of {@link dev.wakegate.relay.ByteRelay}s. On the HTTPS
 * listener (and TCP listeners with {@code tls}) the handlers of {@code tls.TlsTermination} come
 * first and the rest is the same; {@link dev.wakegate.relay.HttpsPolicy} adds what differs (308 to
 * https on the plain listener, HSTS on relayed heads), and the handler's {@code Scheme} decides
 * X-Forwarded-Proto and the 421 for a Host that is not the TLS server name.
 *
 * <p>Invariants: upstream channels live on their client's event loop (no locks); auto-read is off
 * everywhere and a side reads only while the other side is writable; every ByteBuf is forwarded
 * (original bytes, retained slices, never aggregated) or released; every routed request gets
 * exactly one {@code ContainerGate.requestEnded}; nothing reaches an upstream before its head
 * (and, for chunked bodies, its first chunk size) passed the strict parser.
 */
package dev.wakegate.relay;
