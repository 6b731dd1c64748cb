/**
 * TLS termination for the HTTPS and TCP listeners: {@link dev.wakegate.tls.TlsTermination} loads the
 * certificates ({@link dev.wakegate.tls.ServerCertificate}, from PEM files) into a
 * {@link dev.wakegate.tls.CertificateStore} that picks one by the ClientHello's server name, keeps
 * them current ({@link dev.wakegate.tls.CertificateReloader}) and adds the handlers a connection
 * needs; {@link dev.wakegate.tls.TlsContexts} says which protocols and ciphers are served. A
 * certificate that cannot be served is a {@link dev.wakegate.tls.CertificateLoadException} naming
 * its file and the reason.
 */
@NullMarked
package dev.wakegate.tls;

import org.jspecify.annotations.NullMarked;
