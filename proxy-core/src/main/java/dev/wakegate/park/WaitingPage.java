package dev.wakegate.park;

import dev.wakegate.lifecycle.ContainerStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The page a browser navigation to a sleeping route gets (a 503) while its containers start. It
 * names the containers (and what they depend on), shows each one's state, the time so far and the
 * time its recent cold starts took, and follows the start live: its script long-polls
 * {@code GET /health/wake/NAME,...} (answered by the proxy itself) and reloads the page the moment
 * the containers are ready, or shows the reason and stops when a start fails. With scripts off, a
 * 2-second meta refresh does the following. No external assets; a few KB; dark-mode aware.
 *
 * <p>A template is HTML with placeholders, each replaced once per render: {@code {{names}}} (the
 * containers, comma separated), {@code {{status}}} (the live region, a {@code <p role="status">}),
 * {@code {{containers}}} (the list of containers), {@code {{refresh}}} (the meta refresh, inside
 * {@code <noscript>}, for the head) and {@code {{script}}} (the script that follows the start; a
 * template without it still refreshes by {@code {{refresh}}}). The built-in template is
 * {@code waiting-page.html} beside this class; {@code routes[].waiting_page: FILE} names another.
 * Rendering happens on the cold path only (a navigation to a route that is not ready).
 */
public final class WaitingPage {
    /** Seconds between reloads with scripts off. */
    public static final int REFRESH_SECONDS = 2;
    /** The placeholders a template may use. */
    public static final List<String> PLACEHOLDERS = List.of("{{names}}", "{{status}}", "{{containers}}",
            "{{refresh}}", "{{script}}");

    /** What each state (ContainerStatus#wakeState) is called on the page. */
    static final Map<String, String> WORDS = words();

    /** The built-in template. */
    public static final String DEFAULT_TEMPLATE = resource("waiting-page.html");

    private static final String REFRESH = "<noscript><meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS
            + "\"></noscript>";
    private static final String SCRIPT = "<script>" + resource("waiting-page.js").replace("/*WORDS*/{}", wordsJson())
            .strip() + "</script>";

    private WaitingPage() {
    }

    /**
     * Renders {@code template} for a route whose containers are {@code routeContainers}.
     *
     * @param progress the containers and their dependencies as the lifecycle knows them (may be empty:
     *                 then the route's containers are listed as starting)
     * @param nowMillis the proxy's clock, for the time so far
     */
    public static byte[] render(String template, List<String> routeContainers, List<ContainerStatus> progress,
                                long nowMillis) {
        List<Row> rows = new ArrayList<>();
        if (progress.isEmpty()) {
            routeContainers.forEach(n -> rows.add(new Row(n, "starting", -1, 0)));
        } else {
            for (ContainerStatus c : progress) {
                String state = c.wakeState();
                // this navigation has just asked for a start: what ended before it is not the news
                if (state.equals("stopped") || state.equals("paused") || state.equals("failed")
                        || state.equals("missing")) {
                    state = "waiting";
                }
                long elapsed = c.startRequested() == null ? -1 : Math.max(0, nowMillis - c.startRequested().toEpochMilli());
                rows.add(new Row(c.name(), state, elapsed, c.expectedStartMillis()));
            }
        }
        StringBuilder names = new StringBuilder();
        StringBuilder list = new StringBuilder("<ul id=\"wg-list\" data-wake=\"/health/wake/");
        appendEscaped(list, String.join(",", routeContainers));
        list.append("\">");
        long expected = 0;
        for (Row r : rows) {
            if (!names.isEmpty()) {
                names.append(", ");
            }
            names.append(r.name);
            expected = Math.max(expected, r.expected);
            list.append("\n<li data-name=\"");
            appendEscaped(list, r.name);
            list.append("\" data-state=\"").append(r.state).append('"');
            if (r.expected > 0) {
                list.append(" data-expected=\"").append(r.expected).append('"');
            }
            if (r.elapsed >= 0) {
                list.append(" data-elapsed=\"").append(r.elapsed).append('"');
            }
            list.append("><span class=\"wg-name\">");
            appendEscaped(list, r.name);
            list.append("</span> <span class=\"wg-state\">").append(WORDS.get(r.state))
                    .append("</span> <span class=\"wg-time\">");
            list.append(time(r.elapsed, r.expected)).append("</span></li>");
        }
        list.append("\n</ul>");
        String escapedNames = escape(names.toString());
        String status = "<p id=\"wg-status\" role=\"status\" aria-live=\"polite\">Starting " + escapedNames
                + (expected > 0 ? ". It usually takes about " + seconds(expected) + "." : ".") + "</p>";
        String html = template.replace("{{names}}", escapedNames)
                .replace("{{status}}", status)
                .replace("{{containers}}", list)
                .replace("{{refresh}}", REFRESH)
                .replace("{{script}}", SCRIPT);
        return html.getBytes(StandardCharsets.UTF_8);
    }

    /** The built-in page, for the route's containers as the lifecycle knows them. */
    public static byte[] render(List<String> routeContainers, List<ContainerStatus> progress, long nowMillis) {
        return render(DEFAULT_TEMPLATE, routeContainers, progress, nowMillis);
    }

    private record Row(String name, String state, long elapsed, long expected) {
    }

    private static String time(long elapsed, long expected) {
        String so = elapsed >= 0 ? seconds(elapsed) : "";
        if (expected <= 0) {
            return so;
        }
        return so.isEmpty() ? "usually " + seconds(expected) : so + " of about " + seconds(expected);
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static Map<String, String> words() {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("ready", "Ready");
        w.put("running", "Running, not answering yet");
        w.put("starting", "Starting");
        w.put("waiting", "Waiting to start");
        w.put("stopping", "Stopping first");
        w.put("stopped", "Stopped");
        w.put("paused", "Paused");
        w.put("missing", "Missing");
        w.put("failed", "Failed");
        return java.util.Collections.unmodifiableMap(w);
    }

    private static String wordsJson() {
        StringBuilder sb = new StringBuilder("{");
        WORDS.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append(":\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        appendEscaped(sb, s);
        return sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = WaitingPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + WaitingPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
