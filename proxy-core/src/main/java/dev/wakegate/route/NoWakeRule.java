package dev.wakegate.route;

import dev.wakegate.config.NoWake;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NoWake} made ready for the data path, once per config load: the User-Agent regexes as
 * one compiled pattern, with one reusable {@link Matcher} per thread (event loops are
 * {@code FastThreadLocalThread}s, so that is an array read); exact paths in a hash set, prefixes in
 * an array; methods in an array. {@link #match} does not allocate, so a warm request pays a set
 * lookup and, when there are User-Agent patterns, one regex search over its User-Agent.
 */
public final class NoWakeRule {
    /** Why a request did not wake its container (the {@code reason} of the metric). */
    public enum Reason {
        USER_AGENT("user_agent"), PATH("path"), METHOD("method");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        /** The metric tag and the word in the 503's detail. */
        public String tag() {
            return tag;
        }
    }

    /** Matches nothing. */
    public static final NoWakeRule NONE = new NoWakeRule(NoWake.NONE);

    private final NoWake spec;
    private final Set<String> exactPaths = new HashSet<>();
    private final String[] pathPrefixes;
    private final String[] methods;
    private final boolean empty;
    /** The User-Agent entries that are plain words, lower case, by their first character (ASCII). */
    private final char[][][] literalsByFirst = new char[128][][];
    private final int shortestLiteral;
    /** The other entries, as one pattern; null when every entry is a plain word. */
    private final @Nullable FastThreadLocal<Matcher> userAgent;

    public NoWakeRule(NoWake spec) {
        this.spec = spec;
        List<String> prefixes = new java.util.ArrayList<>();
        for (String p : spec.paths()) {
            if (p.endsWith("*")) {
                prefixes.add(p.substring(0, p.length() - 1));
            } else {
                exactPaths.add(p);
            }
        }
        this.pathPrefixes = prefixes.toArray(String[]::new);
        this.methods = spec.methods().toArray(String[]::new);
        this.empty = spec.isEmpty();
        List<String> regexes = new java.util.ArrayList<>();
        int shortest = Integer.MAX_VALUE;
        for (String re : spec.userAgents()) {
            if (isPlainWord(re)) {
                char[] lower = re.toLowerCase(java.util.Locale.ROOT).toCharArray();
                char first = lower[0];
                char[][] bucket = literalsByFirst[first];
                bucket = bucket == null ? new char[1][] : java.util.Arrays.copyOf(bucket, bucket.length + 1);
                bucket[bucket.length - 1] = lower;
                literalsByFirst[first] = bucket;
                shortest = Math.min(shortest, lower.length);
            } else {
                regexes.add(re);
            }
        }
        this.shortestLiteral = shortest;
        Pattern pattern = new NoWake(regexes, List.of(), List.of()).userAgentPattern();
        this.userAgent = pattern == null ? null : new FastThreadLocal<>() {
            @Override
            protected Matcher initialValue() {
                return pattern.matcher("");
            }
        };
    }

    public NoWake spec() {
        return spec;
    }

    /**
     * Why this request must not wake its container, or null when it may.
     *
     * @param userAgent the User-Agent (a view over the head's bytes is fine), or null when absent
     */
    public @Nullable Reason match(String method, String path, @Nullable CharSequence userAgent) {
        if (empty) {
            return null;
        }
        for (String m : methods) {
            if (m.equals(method)) {
                return Reason.METHOD;
            }
        }
        if (!exactPaths.isEmpty() && exactPaths.contains(path)) {
            return Reason.PATH;
        }
        for (String prefix : pathPrefixes) {
            if (path.startsWith(prefix)) {
                return Reason.PATH;
            }
        }
        if (userAgent != null && shortestLiteral != Integer.MAX_VALUE && containsLiteral(userAgent)) {
            return Reason.USER_AGENT;
        }
        if (this.userAgent != null && userAgent != null && userAgent.length() > 0) {
            Matcher m = this.userAgent.get().reset(userAgent);
            boolean found = m.find();
            m.reset(""); // drop the reference to the request's bytes
            if (found) {
                return Reason.USER_AGENT;
            }
        }
        return null;
    }

    /**
     * Whether a plain-word entry occurs in {@code ua}, ignoring ASCII case: one pass over it, and at
     * each character only the words that begin with it (a regex alternation would try every entry
     * at every position).
     */
    private boolean containsLiteral(CharSequence ua) {
        int len = ua.length();
        for (int i = 0, last = len - shortestLiteral; i <= last; i++) {
            char c = lower(ua.charAt(i));
            if (c >= 128) {
                continue;
            }
            char[][] bucket = literalsByFirst[c];
            if (bucket == null) {
                continue;
            }
            for (char[] word : bucket) {
                if (regionMatches(ua, i, word)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean regionMatches(CharSequence ua, int at, char[] word) {
        if (at + word.length > ua.length()) {
            return false;
        }
        for (int j = 1; j < word.length; j++) {
            if (lower(ua.charAt(at + j)) != word[j]) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** An entry without regex syntax, all ASCII: matched as a word, case-insensitively, without the regex engine. */
    static boolean isPlainWord(String re) {
        if (re.isEmpty()) {
            return false;
        }
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c >= 128 || "\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
