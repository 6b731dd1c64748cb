package dev.wakegate.tls;

import dev.wakegate.config.TlsSettings.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One certificate the HTTPS listener can serve, read and checked: its chain (leaf first), its
 * private key, and the DNS names of the leaf's subjectAltName ({@code *.example.com} included), in
 * lower case. {@link #load} refuses what a client would refuse or what cannot work: no
 * certificate, no key, a key that does not belong to the leaf, a leaf without DNS names, or a
 * leaf outside its validity period.
 */
public record ServerCertificate(CertificateFiles files, List<X509Certificate> chain, PrivateKey key,
                                List<String> names) {

    public ServerCertificate {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /**
     * Reads and checks one certificate and its key.
     *
     * @param now the moment the validity period is checked against
     * @throws CertificateLoadException naming the file at fault and the reason
     */
    public static ServerCertificate load(CertificateFiles files, Instant now) throws CertificateLoadException {
        Path certFile = files.cert();
        List<X509Certificate> chain = PemFiles.certificates(certFile);
        PrivateKey key = PemFiles.privateKey(files.key());
        X509Certificate leaf = chain.get(0);
        if (!belongsTo(key, leaf.getPublicKey())) {
            throw new CertificateLoadException(files.key(), "the private key does not belong to the certificate in "
                    + certFile + " (" + subject(leaf) + ")");
        }
        List<String> names = dnsNames(certFile, leaf);
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new CertificateLoadException(certFile, "the certificate for " + names + " expired on "
                    + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new CertificateLoadException(certFile, "the certificate for " + names + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        return new ServerCertificate(files, chain, key, names);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The end of the leaf's validity period. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The key algorithm ({@code RSA}, {@code EC}, ...): one certificate of each per name can be served side by side. */
    public String keyType() {
        return key.getAlgorithm();
    }

    /** For logs: names, key type and expiry. */
    public String describe() {
        return names + " (" + keyType() + ", expires " + notAfter() + ")";
    }

    private static List<String> dnsNames(Path file, X509Certificate leaf) throws CertificateLoadException {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateLoadException(file, "the subjectAltName extension cannot be parsed: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String dns) {
                    String name = dns.toLowerCase(Locale.ROOT);
                    if (name.endsWith(".")) {
                        name = name.substring(0, name.length() - 1);
                    }
                    if (!name.isEmpty() && !names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new CertificateLoadException(file, "the certificate (" + subject(leaf) + ") has no DNS names in its"
                    + " subjectAltName; the names served are taken from there");
        }
        return names;
    }

    /** Whether {@code key} is the private half of {@code pub}: a signature made with one verifies with the other. */
    private static boolean belongsTo(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        if (key instanceof RSAKey rk && pub instanceof RSAKey rp) {
            return rk.getModulus().equals(rp.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "wakegate key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return "ServerCertificate" + describe() + " from " + files.cert();
    }
}
