package dev.wakegate.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of GitHub's Markdown for the tests that keep README.md and docs/ true: headings and
 * the anchors GitHub gives them, fenced code blocks, code spans and links (what sits in code is
 * not a link).
 */
public final class Markdown {
    /** A heading; {@code text} as written (with its code spans), {@code line} 1-based. */
    public record Heading(int level, String text, int line) {
        /** The text as rendered: code-span backticks, emphasis and link syntax removed. */
        public String plain() {
            return LINK.matcher(text).replaceAll("$1").replace("`", "").replace("*", "").trim();
        }
    }

    /** A fenced code block: its info string ({@code yaml}) and its lines, without the fences. */
    public record Fence(String info, String body, int line) {
    }

    /** A link target as written, with the line it is on (1-based). */
    public record Link(String target, int line) {
    }

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    // [text](target) and ![alt](target), with an optional title; the text may hold one level of [brackets]
    private static final Pattern LINK = Pattern.compile(
            "!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*])*)]\\(\\s*<?([^)\\s>]*)>?(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern AUTOLINK = Pattern.compile("<((?:https?|ftp)://[^>\\s]+)>");
    private static final Pattern BARE_URL = Pattern.compile("\\b(?:https?|ftp)://[^\\s<>)\\]`'\"]+");

    private final String text;
    private final List<String> lines;
    private final boolean[] code; // the line is a fence or inside a fenced block
    private final List<Fence> fences = new ArrayList<>();

    public Markdown(String text) {
        this.text = text;
        lines = List.of(text.split("\r?\n", -1));
        code = new boolean[lines.size()];
        String marker = null;
        int start = 0;
        StringBuilder body = new StringBuilder();
        String info = "";
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (marker == null) {
                String open = fenceMarker(t);
                if (open != null) {
                    marker = open;
                    info = t.substring(open.length()).trim();
                    start = i + 1;
                    body.setLength(0);
                    code[i] = true;
                }
                continue;
            }
            code[i] = true;
            char fenceChar = marker.charAt(0);
            if (t.length() >= marker.length() && t.chars().allMatch(c -> c == fenceChar)) {
                fences.add(new Fence(info, body.toString(), start));
                marker = null;
            } else {
                body.append(lines.get(i)).append('\n');
            }
        }
    }

    private static String fenceMarker(String trimmed) {
        for (char c : new char[] {'`', '~'}) {
            int n = 0;
            while (n < trimmed.length() && trimmed.charAt(n) == c) {
                n++;
            }
            if (n >= 3) {
                return trimmed.substring(0, n);
            }
        }
        return null;
    }

    public String text() {
        return text;
    }

    public List<Fence> fences() {
        return List.copyOf(fences);
    }

    public List<Heading> headings() {
        List<Heading> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (code[i]) {
                continue;
            }
            Matcher m = HEADING.matcher(lines.get(i));
            if (m.matches()) {
                out.add(new Heading(m.group(1).length(), m.group(2), i + 1));
            }
        }
        return out;
    }

    /** The lines from {@code heading} up to (not including) the next heading; fenced blocks included. */
    public List<String> section(Heading heading) {
        List<Heading> all = headings();
        int end = lines.size();
        for (Heading h : all) {
            if (h.line() > heading.line()) {
                end = h.line() - 1;
                break;
            }
        }
        return lines.subList(heading.line(), end);
    }

    /** The anchors GitHub gives the headings ({@code #how-yaml-labels-and-the-environment-combine}). */
    public Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Heading h : headings()) {
            String slug = slug(h.plain());
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        return out;
    }

    /** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces as hyphens. */
    public static String slug(String plain) {
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M}_\\- ]", "").replace(' ', '-');
    }

    /** The text of every code span outside fenced blocks. */
    public List<String> codeSpans() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!code[i]) {
                Matcher m = CODE_SPAN.matcher(lines.get(i));
                while (m.find()) {
                    out.add(m.group(2).trim());
                }
            }
        }
        return out;
    }

    /** Every link outside code: {@code [text](target)}, reference definitions, {@code <https://...>} and bare URLs. */
    public List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (code[i]) {
                continue;
            }
            String line = CODE_SPAN.matcher(lines.get(i)).replaceAll(" ");
            Matcher ref = REFERENCE.matcher(line);
            if (ref.matches()) {
                out.add(new Link(ref.group(1), i + 1));
                continue;
            }
            StringBuilder rest = new StringBuilder();
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                out.add(new Link(m.group(2), i + 1));
                m.appendReplacement(rest, " ");
            }
            m.appendTail(rest);
            String left = rest.toString();
            StringBuilder rest2 = new StringBuilder();
            Matcher a = AUTOLINK.matcher(left);
            while (a.find()) {
                out.add(new Link(a.group(1), i + 1));
                a.appendReplacement(rest2, " ");
            }
            a.appendTail(rest2);
            Matcher b = BARE_URL.matcher(rest2);
            while (b.find()) {
                out.add(new Link(b.group().replaceAll("[.,;:]+$", ""), i + 1));
            }
        }
        return out;
    }
}
