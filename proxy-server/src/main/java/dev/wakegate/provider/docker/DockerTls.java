package dev.wakegate.provider.docker;

import com.github.dockerjava.transport.SSLConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS to a Docker engine the way the docker CLI does it: {@code DOCKER_TLS_VERIFY=1} and the PEM
 * files {@code ca.pem}, {@code cert.pem} and {@code key.pem} in {@code DOCKER_CERT_PATH} (default
 * {@code ~/.docker}), read with the JDK alone.
 *
 * <p>docker-java reads these with BouncyCastle, 8 MB of the 30 MB jar for three PEM files; the
 * JDK parses certificates and PKCS#8 keys itself, and the two other key forms that docker's tools
 * write, PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}),
 * are the same key inside a PKCS#8 envelope, which {@link #privateKey} adds. Without
 * {@code ca.pem} the JVM's trust store verifies the engine. A missing or unreadable file is an
 * {@link IllegalArgumentException} naming the file and the reason.
 */
final class DockerTls implements SSLConfig {
    static final String TLS_VERIFY = "DOCKER_TLS_VERIFY";
    static final String CERT_PATH = "DOCKER_CERT_PATH";

    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500"); // rsaEncryption, NULL
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201"); // id-ecPublicKey

    private final SSLContext context;

    private DockerTls(SSLContext context) {
        this.context = context;
    }

    /** TLS settings from the environment, as the docker CLI reads them; empty when TLS is off. */
    static Optional<SSLConfig> fromEnvironment(Map<String, String> env, String userHome) {
        String verify = env.get(TLS_VERIFY);
        if (verify == null || !(verify.equals("1") || verify.trim().toLowerCase(Locale.ROOT).equals("true"))) {
            return Optional.empty();
        }
        String dir = env.get(CERT_PATH);
        Path certs = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(userHome, ".docker");
        return Optional.of(new DockerTls(context(certs)));
    }

    @Override
    public SSLContext getSSLContext() {
        return context;
    }

    /** An SSL context presenting cert.pem/key.pem of {@code dir} and trusting its ca.pem (if any). */
    static SSLContext context(Path dir) {
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Path caFile = dir.resolve("ca.pem");
        try {
            List<Certificate> chain = certificates(certFile);
            PrivateKey key = privateKey(read(keyFile), keyFile);
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("docker-client", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            TrustManagerFactory tmf = null;
            if (Files.exists(caFile)) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(caFile)) {
                    trust.setCertificateEntry("docker-ca-" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("docker TLS (" + dir + "): " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws GeneralSecurityException {
        byte[] pem = read(file);
        List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)));
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(file + ": no certificate in it");
        }
        return certs;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e + ")", e);
        }
    }

    /** The private key of a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    static PrivateKey privateKey(byte[] pemBytes, Path file) throws GeneralSecurityException {
        String pem = new String(pemBytes, StandardCharsets.US_ASCII);
        byte[] der;
        if ((der = block(pem, "PRIVATE KEY")) != null) {
            return pkcs8(der, file, "RSA", "EC", "Ed25519");
        }
        if ((der = block(pem, "RSA PRIVATE KEY")) != null) {
            return pkcs8(sequence(INTEGER_0, RSA_ALGORITHM, tlv(0x04, der)), file, "RSA");
        }
        if ((der = block(pem, "EC PRIVATE KEY")) != null) {
            byte[] curve = sec1Curve(der, file);
            return pkcs8(sequence(INTEGER_0, tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve)), tlv(0x04, der)), file, "EC");
        }
        if (block(pem, "ENCRYPTED PRIVATE KEY") != null) {
            throw new IllegalArgumentException(file + ": the key is encrypted; docker's keys are not");
        }
        throw new IllegalArgumentException(file + ": no PEM private key (PKCS#8, RSA or EC) in it");
    }

    private static PrivateKey pkcs8(byte[] der, Path file, String... algorithms) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IllegalArgumentException(file + ": not a usable " + String.join("/", algorithms) + " key ("
                + (last == null ? "?" : last.getMessage()) + ")", last);
    }

    /** The named curve's OID (tag and all) from SEC1's {@code parameters [0]}. */
    private static byte[] sec1Curve(byte[] der, Path file) {
        Der outer = Der.at(der, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException(file + ": malformed EC key");
        }
        int p = outer.contentStart;
        while (p < outer.end) {
            Der field = Der.at(der, p);
            if (field.tag == 0xA0) {
                Der oid = Der.at(der, field.contentStart);
                if (oid.tag == 0x06) {
                    return java.util.Arrays.copyOfRange(der, field.contentStart, oid.end);
                }
            }
            p = field.end;
        }
        throw new IllegalArgumentException(file + ": the EC key names no curve");
    }

    /** The first {@code -----BEGIN type-----} block, decoded; null if there is none. */
    private static byte @Nullable [] block(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        int from = pem.indexOf(begin);
        if (from < 0) {
            return null;
        }
        int to = pem.indexOf("-----END " + type + "-----", from);
        if (to < 0) {
            return null;
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    // ---- the little DER this needs -------------------------------------------------------------

    private static final byte[] INTEGER_0 = {0x02, 0x01, 0x00};

    private record Der(int tag, int contentStart, int end) {
        static Der at(byte[] der, int offset) {
            int tag = der[offset] & 0xFF;
            int len = der[offset + 1] & 0xFF;
            int start = offset + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7F;
                if (bytes == 0 || bytes > 3) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                len = 0;
                for (int i = 0; i < bytes; i++) {
                    len = (len << 8) | (der[start + i] & 0xFF);
                }
                start += bytes;
            }
            if (start + len > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(tag, start, start + len);
        }
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
