package dev.wakegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.wakegate.config.TlsSettings.CertificateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Puts certificates where an example config's {@code tls.certificates} expects them, so that the
 * example can be loaded as {@code --check} loads it (which reads and checks every certificate):
 * the operator's real certificates are stood in for by ones from a {@link TestPki}. Each is issued
 * for the host name in its path when there is one ({@code certs/app.example.com/fullchain.pem}),
 * else for {@code example.com}. Paths must be relative (to the config file, as wakegate reads them).
 */
public final class ExampleCertificates {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern HOST = Pattern.compile("(?:\\*\\.)?[a-z0-9-]+(?:\\.[a-z0-9-]+)+");

    private ExampleCertificates() {
    }

    /**
     * Copies {@code yaml} to {@code dir/fileName} and writes the certificates it names under {@code dir}.
     *
     * @return the config file
     * @throws IllegalArgumentException when the example names a certificate by an absolute path
     */
    public static Path materialise(String yaml, Path dir, String fileName) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, yaml);
        List<CertificateFiles> wanted = new ArrayList<>();
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            return file; // not YAML: the loader says why
        }
        JsonNode certificates = tree == null ? null : tree.path("tls").path("certificates");
        if (certificates == null || !certificates.isArray()) {
            return file;
        }
        for (JsonNode c : certificates) {
            String cert = c.path("cert").asText(null);
            String key = c.path("key").asText(null);
            if (cert == null || key == null) {
                continue;
            }
            if (Path.of(cert).isAbsolute() || Path.of(key).isAbsolute()) {
                throw new IllegalArgumentException("example certificate " + cert + " / " + key
                        + " is an absolute path: write it relative to the config file so that a test can provide it");
            }
            wanted.add(new CertificateFiles(dir.resolve(cert).normalize(), dir.resolve(key).normalize()));
        }
        TestPki pki = new TestPki(Files.createTempDirectory(dir, "pki"));
        int n = 0;
        for (CertificateFiles files : wanted) {
            Files.createDirectories(files.cert().getParent());
            Files.createDirectories(files.key().getParent());
            TestPki.Issued issued = pki.issue("example" + n++, TestPki.KeyType.EC, hostIn(files.cert()));
            try {
                if (files.cert().equals(files.key())) {
                    Files.writeString(files.cert(), Files.readString(issued.cert()) + Files.readString(issued.key()));
                } else {
                    issued.writeOnto(files);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return file;
    }

    private static String hostIn(Path cert) {
        for (int i = cert.getNameCount() - 1; i >= 0; i--) {
            String part = cert.getName(i).toString();
            String stem = part.endsWith(".pem") ? part.substring(0, part.length() - 4) : part;
            if (HOST.matcher(stem).matches()) {
                return stem;
            }
        }
        return "example.com";
    }
}
