/**
 * The data path: {@link dev.wakegate.relay.FrontServer} binds the HTTP listener and the TCP
 * listeners on one event-loop group; each HTTP connection has a single
 * {@link dev.wakegate.relay.HttpFrontHandler} (a {@link dev.wakegate.relay.FrontState} machine)
 * that parses heads with {@code http1.RequestHeadParser}, routes each request with the current
 * {@code route.RouteTable}, lets {@link dev.wakegate.relay.Admission} decide whether it goes on
 * (421, {@code /health/*}, 308, 404, allow/deny, {@code max_body}, {@code no_wake}), and answers it itself ({@link dev.wakegate.relay.LocalAnswers}), parks it
 * (see {@code dev.wakegate.park}) or forwards it through an
 * {@link dev.wakegate.relay.UpstreamExchange} over a keep-alive connection from the event loop's
 * {@link dev.wakegate.relay.UpstreamPool}, whose {@link dev.wakegate.relay.UpstreamConnection}
 * frames responses with {@code http1.BodyFramer}. The request in hand is one
 * {@link dev.wakegate.relay.HttpExchange} with a request phase and a response phase, which the
 * handler begins for each request and changes alone, and which the upstream side, the local
 * answers and the parking code read; when the connection reads is the
 * {@link dev.wakegate.relay.ReadPolicy}'s, and its timeouts run on a
 * {@link dev.wakegate.relay.ClientClock}. Failures of an upstream are
 * {@link dev.wakegate.relay.UpstreamFailure}s (status, metric tag, retry rule), never strings. A 101
 * and the TCP listeners end in a pair of {@link dev.wakegate.relay.ByteRelay}s. On the HTTPS
 * listener (and TCP listeners with {@code tls}) the handlers of {@code tls.TlsTermination} come
 * first and the rest is the same; {@link dev.wakegate.relay.HttpsPolicy} adds what differs (308 to
 * https on the plain listener, HSTS on relayed heads), and the handler's {@code Scheme} decides
 * X-Forwarded-Proto and the 421 for a Host that is not the TLS server name. A listener with
 * {@code proxy_protocol} starts with the {@link dev.wakegate.relay.ProxyProtocol} handlers, before
 * TLS; {@link dev.wakegate.relay.ClientAddress} keeps the peer it names and each request's client
 * (behind {@code trusted_proxies}). Each completed request hands one {@code accesslog.AccessEntry}, made from the parsed head, to
 * the {@code accesslog.AccessLog}'s writer thread (when the log is on). What a reload changes
 * ({@link dev.wakegate.relay.FrontServer#applyListeners}, {@code applySettings}, the access log,
 * the trusted proxies, the routes) is read by connections and requests as they begin; nothing in
 * flight is touched.
 *
 * <p>Invariants: upstream channels live on their client's event loop (no locks); auto-read is off
 * everywhere and a side reads only while the other side is writable; every ByteBuf is forwarded
 * (original bytes, retained slices, never aggregated) or released; every routed request gets
 * exactly one {@code ContainerGate.requestEnded}; nothing reaches an upstream before its head
 * (and, for chunked bodies, its first chunk size) passed the strict parser, nor any body byte past
 * {@code max_body}; the event loop never formats or writes an access-log line; a handler that closes
 * a connection on an exception says why at debug ({@code log.ChannelLog}).
 */
@NullMarked
package dev.wakegate.relay;

import org.jspecify.annotations.NullMarked;
