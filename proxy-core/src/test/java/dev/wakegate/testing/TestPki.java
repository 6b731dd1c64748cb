package dev.wakegate.testing;

import dev.wakegate.config.TlsSettings.CertificateFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A test certificate authority and the server certificates it issues, written as the PEM files
 * ACME clients write (chain file leaf first, key file in PKCS#8 or the traditional RSA/EC forms),
 * plus TLS clients that trust it: JDK {@link SSLSocket}s with or without a server name, and a
 * CA file for curl. Made in process with BouncyCastle; everything lives under one directory.
 */
public final class TestPki {
    /** The key of a server certificate. */
    public enum KeyType { RSA, EC }

    /** How the key file is written. */
    public enum KeyFormat { PKCS8, TRADITIONAL }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    public TestPki(Path dir) {
        this.dir = dir;
        try {
            caKeys = keyPair(KeyType.EC);
            X500Name name = new X500Name("CN=wakegate test CA " + SERIAL.incrementAndGet());
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    caKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = sign(b, caKeys);
            caFile = dir.resolve("ca.pem");
            Files.writeString(caFile, pem(ca));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate issued now, valid for 90 days, for {@code names} (SANs), leaf + CA in the chain file. */
    public Issued issue(String fileStem, KeyType type, String... names) {
        Instant now = Instant.now();
        return issue(fileStem, type, KeyFormat.PKCS8, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)), names);
    }

    /** A server certificate with an explicit validity period and key file format. */
    public Issued issue(String fileStem, KeyType type, KeyFormat format, Instant notBefore, Instant notAfter,
                        String... names) {
        try {
            KeyPair keys = keyPair(type);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + names[0]), keys.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                sans.add(new GeneralName(GeneralName.dNSName, n));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate leaf = sign(b, caKeys);
            Path certFile = dir.resolve(fileStem + ".pem");
            Path keyFile = dir.resolve(fileStem + ".key");
            Files.writeString(certFile, pem(leaf) + pem(ca));
            Files.writeString(keyFile, format == KeyFormat.PKCS8 ? pkcs8(keys) : traditional(keys));
            return new Issued(certFile, keyFile, leaf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate's files and the leaf. */
    public record Issued(Path cert, Path key, X509Certificate leaf) {
        public CertificateFiles files() {
            return new CertificateFiles(cert, key);
        }

        /**
         * Puts this certificate in place of {@code target}'s files the way acme.sh and most scripts
         * do: written next to them, then renamed over them (a new inode each).
         */
        public void renameOnto(CertificateFiles target) {
            try {
                Path tmpCert = target.cert().resolveSibling(target.cert().getFileName() + ".new");
                Path tmpKey = target.key().resolveSibling(target.key().getFileName() + ".new");
                Files.copy(cert, tmpCert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(key, tmpKey, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmpKey, target.key(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmpCert, target.cert(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Puts this certificate in place of {@code target}'s files by writing into them (same inode). */
        public void writeOnto(CertificateFiles target) {
            try {
                Files.write(target.key(), Files.readAllBytes(key));
                Files.write(target.cert(), Files.readAllBytes(cert));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Path caFile() {
        return caFile;
    }

    public X509Certificate ca() {
        return ca;
    }

    /** A client context that trusts this CA alone. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Netty client context that trusts this CA alone. */
    public io.netty.handler.ssl.SslContext nettyClientContext() {
        try {
            return io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(ca).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A handshaken TLS socket to {@code 127.0.0.1:port} that sends {@code serverName} as SNI (none
     * when null) and offers {@code protocols} (the JDK's defaults when empty).
     */
    public SSLSocket connect(int port, String serverName, String... protocols) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        SSLSocket s = (SSLSocket) clientContext().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** The leaf certificate a server presented on {@code socket}. */
    public static X509Certificate served(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    /** PEM in the traditional OpenSSL forms for keys (BEGIN RSA/EC PRIVATE KEY), BEGIN CERTIFICATE for certificates. */
    static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(new JcaMiscPEMGenerator(o));
        }
        return w.toString();
    }

    /**
     * BEGIN RSA PRIVATE KEY (PKCS#1) or BEGIN EC PRIVATE KEY (SEC1 with its named curve, as openssl
     * and acme.sh write it; the JDK's own encoding leaves the curve out of the inner structure).
     */
    private static String traditional(KeyPair keys) throws IOException {
        if (!(keys.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec)) {
            return pem(keys.getPrivate());
        }
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(
                keys.getPrivate().getEncoded());
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo pub = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                keys.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                ec.getParams().getOrder().bitLength(), ec.getS(), pub.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return w.toString();
    }

    private static String pkcs8(KeyPair keys) throws IOException {
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
        }
        return w.toString();
    }

    /** Bytes of a string, for writing broken files. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
