package dev.wakegate.route;

import dev.wakegate.config.NoWake;
import dev.wakegate.route.NoWakeRule.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NoWakeRuleTest {
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0 Safari/537.36";
    private static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
            + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private final NoWakeRule defaults = new NoWakeRule(NoWake.DEFAULTS);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
            "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
            "Uptime-Kuma/1.23.11",
            "Better Uptime Bot Mozilla/5.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "kube-probe/1.29",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "GOOGLEBOT/2.1",
    })
    void defaultListKnowsCommonMonitorsAndCrawlers(String userAgent) {
        assertThat(defaults.match("GET", "/", userAgent)).isEqualTo(Reason.USER_AGENT);
    }

    @Test
    void defaultListLetsBrowsersAndTheirNavigationsWake() {
        for (String ua : List.of(CHROME, FIREFOX, SAFARI_IPHONE, "curl/8.5.0", "")) {
            assertThat(defaults.match("GET", "/", ua)).as(ua).isNull();
        }
        assertThat(defaults.match("GET", "/", null)).isNull();
        assertThat(defaults.match("HEAD", "/index.html", CHROME)).isNull();
    }

    @Test
    void defaultListKeepsFaviconAndRobotsFromWaking() {
        assertThat(defaults.match("GET", "/favicon.ico", CHROME)).isEqualTo(Reason.PATH);
        assertThat(defaults.match("GET", "/robots.txt", CHROME)).isEqualTo(Reason.PATH);
        assertThat(defaults.match("GET", "/app/favicon.ico", CHROME)).isNull(); // exact paths only
    }

    @Test
    void regexesPrefixesAndMethods() {
        NoWakeRule r = new NoWakeRule(new NoWake(List.of("^curl/", "monitor-\\d+"), List.of("/status/*", "/ping"),
                List.of("options", "HEAD")));
        assertThat(r.match("GET", "/", "curl/8.5.0")).isEqualTo(Reason.USER_AGENT);
        assertThat(r.match("GET", "/", "my curl/8")).isNull(); // anchored
        assertThat(r.match("GET", "/", "x MONITOR-42 y")).isEqualTo(Reason.USER_AGENT);
        assertThat(r.match("GET", "/status/db", CHROME)).isEqualTo(Reason.PATH);
        assertThat(r.match("GET", "/ping", CHROME)).isEqualTo(Reason.PATH);
        assertThat(r.match("GET", "/pingpong", CHROME)).isNull();
        assertThat(r.match("OPTIONS", "/", CHROME)).isEqualTo(Reason.METHOD);
        assertThat(r.match("HEAD", "/", CHROME)).isEqualTo(Reason.METHOD);
        assertThat(NoWakeRule.NONE.match("OPTIONS", "/favicon.ico", "UptimeRobot")).isNull();
    }

    @Test
    void plainWordsSkipTheRegexEngine() {
        assertThat(NoWakeRule.isPlainWord("Datadog/Synthetics")).isTrue();
        assertThat(NoWakeRule.isPlainWord("Better Uptime")).isTrue();
        assertThat(NoWakeRule.isPlainWord("Site24x7")).isTrue();
        assertThat(NoWakeRule.isPlainWord("bot\\b")).isFalse();
        assertThat(NoWakeRule.isPlainWord("Pingdom.com")).isFalse(); // '.' is a regex: left to the engine
        assertThat(NoWakeRule.isPlainWord("")).isFalse();
    }
}
