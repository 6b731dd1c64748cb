package dev.wakegate.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files ACME clients and openssl write: certificate chains, and private keys in
 * PKCS#8 ({@code BEGIN PRIVATE KEY}) or the traditional forms ({@code BEGIN RSA PRIVATE KEY},
 * PKCS#1; {@code BEGIN EC PRIVATE KEY}, SEC1, as acme.sh writes ECDSA keys), which are rewrapped
 * into PKCS#8 here so no extra crypto library is needed. Encrypted keys are refused: there is no
 * passphrase to give. Every failure names the file and the reason.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern BLANK_LINE = Pattern.compile("\\r?\\n\\r?\\n");
    // 1.2.840.113549.1.1.1 rsaEncryption, and 1.2.840.10045.2.1 id-ecPublicKey, DER-encoded with their tag
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** One {@code -----BEGIN type-----} block: its type, headers (encrypted keys have some) and DER bytes. */
    record Block(String type, boolean encrypted, byte[] der) {
    }

    static String read(Path file) throws CertificateLoadException {
        try {
            if (Files.isDirectory(file)) {
                throw new CertificateLoadException(file, "is a directory, not a PEM file");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new CertificateLoadException(file, "cannot be read: permission denied");
        } catch (IOException e) {
            throw new CertificateLoadException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    static List<Block> blocks(Path file, String text) throws CertificateLoadException {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type:") && body.contains("ENCRYPTED");
            Matcher blank = BLANK_LINE.matcher(body);
            if (body.indexOf(':') >= 0 && blank.find()) {
                body = body.substring(blank.end()); // RFC 1421 headers before the base64
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new CertificateLoadException(file, "the " + m.group(1) + " block is not valid base64");
            }
            out.add(new Block(m.group(1), encrypted, der));
        }
        return out;
    }

    /** The certificates of {@code file}, in file order (leaf first, as a chain is written). */
    static List<X509Certificate> certificates(Path file) throws CertificateLoadException {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 support", e);
        }
        for (Block b : blocks(file, read(file))) {
            if (!b.type().equals("CERTIFICATE") && !b.type().equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new CertificateLoadException(file, "certificate " + (chain.size() + 1) + " cannot be parsed: "
                        + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new CertificateLoadException(file, "has no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /** The one private key in {@code file}. */
    static PrivateKey privateKey(Path file) throws CertificateLoadException {
        List<Block> keys = new ArrayList<>();
        for (Block b : blocks(file, read(file))) {
            if (b.type().endsWith("PRIVATE KEY")) {
                keys.add(b);
            }
        }
        if (keys.isEmpty()) {
            throw new CertificateLoadException(file, "has no private key (expected -----BEGIN PRIVATE KEY-----,"
                    + " BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
        }
        if (keys.size() > 1) {
            throw new CertificateLoadException(file, "has " + keys.size() + " private keys; give one per file");
        }
        Block key = keys.get(0);
        if (key.encrypted() || key.type().equals("ENCRYPTED PRIVATE KEY")) {
            throw new CertificateLoadException(file, "the private key is encrypted; give it without a passphrase"
                    + " (openssl pkey -in KEY -out KEY.plain)");
        }
        byte[] pkcs8;
        try {
            pkcs8 = switch (key.type()) {
                case "PRIVATE KEY" -> key.der();
                case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, key.der());
                case "EC PRIVATE KEY" -> pkcs8(ecAlgorithm(key.der()), key.der());
                default -> throw new CertificateLoadException(file, "unsupported key type " + key.type());
            };
        } catch (IllegalArgumentException e) {
            throw new CertificateLoadException(file, "the " + key.type() + " block is not a valid key: " + e.getMessage());
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new CertificateLoadException(file, "the private key cannot be read as RSA, EC or EdDSA");
    }

    // ---------------------------------------------------------------- DER, just enough for PKCS#8

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING privateKey }. */
    private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithmIdentifier);
        body.writeBytes(tlv(0x04, privateKey));
        return tlv(0x30, body.toByteArray());
    }

    /**
     * The AlgorithmIdentifier of a SEC1 ECPrivateKey: id-ecPublicKey with the named curve that the
     * key's {@code [0] parameters} give (SEQUENCE { version, OCTET STRING, [0] OID, [1] BIT STRING }).
     */
    private static byte[] ecAlgorithm(byte[] sec1) {
        int[] seq = header(sec1, 0, 0x30);
        int p = seq[0];
        int end = p + seq[1];
        while (p < end) {
            int tag = sec1[p] & 0xff;
            int[] h = header(sec1, p, tag);
            if (tag == 0xa0) {
                int[] oid = header(sec1, h[0], 0x06);
                byte[] curve = new byte[oid[0] + oid[1] - h[0]];
                System.arraycopy(sec1, h[0], curve, 0, curve.length);
                ByteArrayOutputStream alg = new ByteArrayOutputStream();
                alg.writeBytes(EC_PUBLIC_KEY_OID);
                alg.writeBytes(curve);
                return tlv(0x30, alg.toByteArray());
            }
            p = h[0] + h[1];
        }
        throw new IllegalArgumentException("the EC key does not name its curve");
    }

    /** {contentStart, contentLength} of the element at {@code at}, which must have {@code tag}. */
    private static int[] header(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (der[at] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected DER structure");
        }
        int len = der[at + 1] & 0xff;
        int p = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 3 || p + n > der.length) {
                throw new IllegalArgumentException("unexpected DER length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[p++] & 0xff);
            }
        }
        if (p + len > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {p, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
