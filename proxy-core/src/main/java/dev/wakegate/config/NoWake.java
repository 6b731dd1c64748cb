package dev.wakegate.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Traffic that must not wake a container: {@code automation.no_wake}, or a route's own
 * {@code no_wake}, which replaces it for that route (docs/configuration.md, "Traffic that does not
 * wake"). A request matches when its User-Agent contains a match of one of {@code userAgents}
 * (case-insensitive), or its path is one of {@code paths} (an entry ending in {@code *} is a
 * prefix), or its method is one of {@code methods}. To a sleeping container such a request gets a
 * 503 and starts nothing; to a running one it is served but does not count as activity.
 *
 * @param userAgents the regexes as written, each checked at load
 * @param paths      exact paths, or prefixes ending in {@code *}
 * @param methods    upper-case method names
 */
public record NoWake(List<String> userAgents, List<String> paths, List<String> methods) {

    /** Nothing is kept from waking. */
    public static final NoWake NONE = new NoWake(List.of(), List.of(), List.of());

    /**
     * The built-in list, used when {@code automation.no_wake} is not set: uptime monitors and
     * crawlers by their User-Agent, and the two files browsers and crawlers fetch by themselves.
     * Nothing in it matches a person's navigation in a browser, so it is on by default.
     */
    public static final NoWake DEFAULTS = new NoWake(List.of(
            "UptimeRobot", "Pingdom", "StatusCake", "Better Uptime", "BetterUptime", "Uptime-Kuma", "Site24x7", "Freshping",
            "HetrixTools", "UptimeMonitor", "Checkly", "Datadog/Synthetics", "kube-probe", "Blackbox Exporter",
            "Googlebot", "bingbot", "Applebot", "DuckDuckBot", "YandexBot", "Baiduspider", "AhrefsBot",
            "SemrushBot", "MJ12bot", "DotBot", "PetalBot", "Bytespider", "GPTBot", "ClaudeBot", "CCBot",
            "facebookexternalhit", "Twitterbot", "Slackbot", "Discordbot", "LinkedInBot", "WhatsApp"),
            List.of("/favicon.ico", "/robots.txt"),
            List.of());

    public NoWake {
        userAgents = List.copyOf(userAgents);
        paths = List.copyOf(paths);
        methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    }

    public boolean isEmpty() {
        return userAgents.isEmpty() && paths.isEmpty() && methods.isEmpty();
    }

    /** The User-Agent regexes as one case-insensitive pattern, or null when there are none. */
    public @Nullable Pattern userAgentPattern() {
        if (userAgents.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String re : userAgents) {
            sb.append(sb.isEmpty() ? "" : "|").append("(?:").append(re).append(')');
        }
        return Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** Reads a {@code no_wake} mapping ({@code user_agents}, {@code paths}, {@code methods}; each optional). */
    static NoWake read(YamlSection s) throws ConfigException {
        List<String> agents = s.strings("user_agents");
        for (int i = 0; i < agents.size(); i++) {
            try {
                Pattern.compile(agents.get(i), Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(s.file(), s.keyPath("user_agents") + "[" + i + "]",
                        "not a valid regular expression: " + e.getDescription());
            }
        }
        List<String> paths = s.strings("paths");
        for (int i = 0; i < paths.size(); i++) {
            if (!paths.get(i).startsWith("/")) {
                throw new ConfigException(s.file(), s.keyPath("paths") + "[" + i + "]",
                        "'" + paths.get(i) + "' is not a path: it must start with /");
            }
        }
        List<String> methods = s.strings("methods");
        for (int i = 0; i < methods.size(); i++) {
            if (!methods.get(i).matches("[A-Za-z]+")) {
                throw new ConfigException(s.file(), s.keyPath("methods") + "[" + i + "]",
                        "'" + methods.get(i) + "' is not an HTTP method");
            }
        }
        return new NoWake(agents, paths, methods);
    }
}
