package dev.wakegate.park;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request is a browser navigation, which gets the waiting page instead of being
 * held: a GET or HEAD whose Accept header prefers {@code text/html}, meaning text/html is listed
 * with a q-value higher than every other media range, or equal to those listed after it. Fetch
 * and XHR calls ({@code *}{@code /*}, {@code application/json}) do not qualify.
 */
public final class BrowserNavigation {
    private BrowserNavigation() {
    }

    public static boolean test(String method, @Nullable String accept) {
        if (accept == null || !("GET".equals(method) || "HEAD".equals(method))) {
            return false;
        }
        double htmlQ = -1;
        boolean htmlSeen = false;
        double bestBefore = -1;  // highest q among ranges before text/html
        double bestAfter = -1;   // highest q among ranges after it
        int start = 0;
        int len = accept.length();
        while (start <= len) {
            int comma = accept.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            String range = accept.substring(start, end);
            int semi = range.indexOf(';');
            String type = (semi < 0 ? range : range.substring(0, semi)).trim();
            if (!type.isEmpty()) {
                double q = semi < 0 ? 1.0 : qValue(range.substring(semi + 1));
                if (!htmlSeen && type.equalsIgnoreCase("text/html")) {
                    htmlSeen = true;
                    htmlQ = q;
                } else if (htmlSeen) {
                    bestAfter = Math.max(bestAfter, q);
                } else {
                    bestBefore = Math.max(bestBefore, q);
                }
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return htmlSeen && htmlQ > 0 && htmlQ > bestBefore && htmlQ >= bestAfter;
    }

    private static double qValue(String params) {
        for (String p : params.split(";")) {
            String t = p.trim();
            if (t.length() > 2 && (t.charAt(0) == 'q' || t.charAt(0) == 'Q') && t.charAt(1) == '=') {
                try {
                    return Double.parseDouble(t.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1.0;
    }
}
