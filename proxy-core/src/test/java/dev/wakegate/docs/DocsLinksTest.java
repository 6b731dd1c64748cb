package dev.wakegate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.testing.Markdown;
import dev.wakegate.testing.Markdown.Link;
import dev.wakegate.testing.RepoFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh clone's read-through of README.md and docs/ (and any other Markdown file in the
 * repository): every link leads to a file of the repository (and to a heading of it, when it names
 * one) or to a public https page, and nothing refers to notes that are not part of the repository.
 * External pages are checked by form only: tests send nothing beyond loopback.
 */
class DocsLinksTest {
    private static final Path ROOT = RepoFiles.root();
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", ".idea", ".mvn");

    // Written in pieces so that this file does not name them itself.
    private static final List<String> PRIVATE_NOTES = List.of("DESIGN" + ".md", "MACHINE" + ".md", "STYLE" + ".md",
            "../" + "shared", "/work/" + "shared", "container-auto-start-stop" + ".md");

    private static final Pattern PRIVATE_HOST = Pattern.compile(
            "localhost|.*\\.localhost|.*\\.local|.*\\.internal|.*\\.test|.*\\.invalid"
                    + "|(.*\\.)?example\\.(com|org|net)|127\\..*|10\\..*|192\\.168\\..*|172\\.(1[6-9]|2\\d|3[01])\\..*"
                    + "|169\\.254\\..*|0\\.0\\.0\\.0|\\[?::1?]?|\\[?f[cd].*");

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = walk()) {
            return files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    private static Stream<Path> walk() throws IOException {
        return Files.walk(ROOT)
                .filter(Files::isRegularFile)
                .filter(p -> {
                    for (Path part : ROOT.relativize(p)) {
                        if (SKIPPED_DIRS.contains(part.toString())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static String where(Path file, Link link) {
        return ROOT.relativize(file) + ":" + link.line() + ": " + link.target();
    }

    @Test
    void readmeAndDocsAreAmongTheFilesChecked() throws IOException {
        assertThat(markdownFiles()).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/configuration.md"));
    }

    @Test
    void everyRelativeLinkLeadsToAFileOfTheRepositoryAndAHeadingOfIt() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles()) {
            Markdown md = new Markdown(RepoFiles.read(file));
            for (Link link : md.links()) {
                String target = link.target();
                if (target.isEmpty()) {
                    broken.add(where(file, link) + " (empty link)");
                    continue;
                }
                if (target.contains(":")) {
                    continue; // an absolute URL: the next test
                }
                checked++;
                int hash = target.indexOf('#');
                String pathPart = hash < 0 ? target : target.substring(0, hash);
                String fragment = hash < 0 ? null : target.substring(hash + 1);
                if (pathPart.startsWith("/")) {
                    broken.add(where(file, link) + " (write it relative to " + ROOT.relativize(file.getParent())
                            + "/, as GitHub and a clone both read it)");
                    continue;
                }
                Path resolved = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
                if (!resolved.startsWith(ROOT)) {
                    broken.add(where(file, link) + " (leaves the repository)");
                } else if (!Files.exists(resolved)) {
                    broken.add(where(file, link) + " (no such file: " + ROOT.relativize(resolved) + ")");
                } else if (fragment != null && resolved.toString().endsWith(".md")
                        && !new Markdown(RepoFiles.read(resolved)).anchors().contains(fragment)) {
                    broken.add(where(file, link) + " (" + ROOT.relativize(resolved) + " has no heading with the anchor #"
                            + fragment + ")");
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(10);
        assertThat(broken).as("links that a fresh clone cannot follow; fix the path or the anchor "
                + "(GitHub's anchor of a heading: lower case, punctuation dropped, spaces as '-')").isEmpty();
    }

    @Test
    void everyAbsoluteLinkIsAPublicHttpsPage() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path file : markdownFiles()) {
            for (Link link : new Markdown(RepoFiles.read(file)).links()) {
                String target = link.target();
                if (!target.contains(":")) {
                    continue;
                }
                URI uri;
                try {
                    uri = new URI(target);
                } catch (URISyntaxException e) {
                    bad.add(where(file, link) + " (not a URL: " + e.getMessage() + ")");
                    continue;
                }
                if (!"https".equals(uri.getScheme())) {
                    bad.add(where(file, link) + " (only https links: a reader's browser should not be sent elsewhere)");
                } else if (uri.getHost() == null || PRIVATE_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()) {
                    bad.add(where(file, link) + " (not a public host: write an address meant as an example in `code`)");
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void nothingInTheRepositoryRefersToNotesOutsideIt() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> all = walk()) {
            files = all.toList();
        }
        for (Path file : files) {
            String text = textOf(file);
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String name : PRIVATE_NOTES) {
                    if (lines[i].contains(name)) {
                        found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + name);
                    }
                }
            }
        }
        assertThat(files).as("files scanned").hasSizeGreaterThan(50);
        assertThat(found).as("references to files a clone does not have: say what is meant here, or link"
                + " to docs/ (the config contract is docs/configuration.md)").isEmpty();
    }

    /** The file as UTF-8 text; null for binary files. */
    private static String textOf(Path file) throws IOException {
        if (Files.size(file) > 4 << 20) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
