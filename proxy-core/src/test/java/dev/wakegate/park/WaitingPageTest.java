package dev.wakegate.park;

import dev.wakegate.config.Priority;
import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.ContainerStatus;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.provider.WorkloadInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WaitingPageTest {
    private static final long NOW = 1_700_000_010_000L;

    private static ContainerStatus status(String name, ContainerState state, Instant requested, long expected,
                                          StartFailure failure) {
        return new ContainerStatus(name, state, Priority.NORMAL, null, 30, 0, 0, WorkloadInfo.Health.NONE, false,
                false, List.of(), null, null, false, null, requested, expected, failure);
    }

    private static String render(String template, List<ContainerStatus> progress) {
        return new String(WaitingPage.render(template, List.of("app"), progress, NOW), StandardCharsets.UTF_8);
    }

    @Test
    void builtInPageIsSmallAccessibleAndSelfContained() {
        String html = render(WaitingPage.DEFAULT_TEMPLATE, List.of(
                status("db", ContainerState.RUNNING, Instant.ofEpochMilli(NOW - 1500), 0, null),
                status("app", ContainerState.STARTING, Instant.ofEpochMilli(NOW - 1200), 3100, null)));

        assertThat(html).contains("<html lang=\"en\">", "<h1 id=\"wg-title\">",
                "<p id=\"wg-status\" role=\"status\" aria-live=\"polite\">Starting db, app. It usually takes about 3.1 s.</p>",
                "data-name=\"db\" data-state=\"running\" data-elapsed=\"1500\"",
                "data-name=\"app\" data-state=\"starting\" data-expected=\"3100\" data-elapsed=\"1200\"",
                "1.2 s of about 3.1 s", "<script>", "location.reload()", "@media (prefers-color-scheme:dark)");
        assertThat(html).doesNotContain("{{").doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isBetween(2000, 8 * 1024);
    }

    @Test
    void whatEndedBeforeThisNavigationShowsAsWaitingToStart() {
        String html = render(WaitingPage.DEFAULT_TEMPLATE, List.of(status("app", ContainerState.STOPPED, null, 0,
                new StartFailure("app", StartFailure.Kind.FAILED, "exited with code 3"))));

        assertThat(html).contains("data-name=\"app\" data-state=\"waiting\"", "Waiting to start")
                .doesNotContain("exited with code 3");
    }

    @Test
    void templatePlaceholdersAreFilledAndNamesEscaped() {
        String html = new String(WaitingPage.render("<title>{{names}}</title>{{refresh}}{{status}}{{containers}}",
                List.of("a<b"), List.of(), NOW), StandardCharsets.UTF_8);

        assertThat(html).startsWith("<title>a&lt;b</title><noscript><meta http-equiv=\"refresh\" content=\"2\">")
                .contains("data-wake=\"/health/wake/a&lt;b\"", "data-name=\"a&lt;b\" data-state=\"starting\"")
                .doesNotContain("<script>", "a<b");
    }
}
