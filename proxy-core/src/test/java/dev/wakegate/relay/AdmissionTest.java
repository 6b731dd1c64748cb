package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.net.CidrSet;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTable;
import dev.wakegate.testing.FakeGate;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Admission}'s checks and their order, without sockets: which check turns a request away
 * when several would, and the body limit a route takes. The answers themselves are tested through
 * real sockets (BodyLimitTest, ClientAddressTest, TlsListenerTests).
 */
class AdmissionTest {
    private static final long GLOBAL_MAX_BODY = 1000;

    private final DataPath dp = new DataPath(new RouteTable(HostRouter.empty()), FakeGate.allReady(), new RecordingEndpoints(),
            ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS.withMaxBody(GLOBAL_MAX_BODY),
            FrontServer.DEFAULT_PARK_DEADLINE, Transport.NIO, null,
            loop -> (address, init) -> { throw new AssertionError("nothing is forwarded"); }, HttpsPolicy.NONE);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientAddress client = new ClientAddress();

    /** Only 198.51.100.0/24 may use it; its own max_body is 10 bytes. */
    private final Route restricted = new Route("/app", List.of(), ProxyHarness.hp(1), false, List.of(), 10,
            CidrSet.parse(List.of("198.51.100.0/24")), CidrSet.EMPTY);
    private final Route open = new Route("/app", List.of(), ProxyHarness.hp(1), false, List.of(), 0,
            CidrSet.EMPTY, CidrSet.EMPTY);

    AdmissionTest() {
        client.connected(new InetSocketAddress("203.0.113.9", 40000)); // not in the allow list
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private Admission.Verdict check(String headText, Route route) {
        RequestHead head = head(headText);
        client.resolve(head, Unpooled.EMPTY_BUFFER, 0, CidrSet.EMPTY);
        return Admission.check(dp, Scheme.HTTP, channel, head, head.path(), route, client,
                Admission.maxBody(route, dp.limits));
    }

    private static RequestHead head(String text) {
        return HttpExchangeTest.head(text);
    }

    @Test
    void theProxysOwnEndpointsComeBeforeTheRoutesChecks() {
        assertThat(check("GET /health/containers HTTP/1.1\r\nHost: t\r\n\r\n", restricted))
                .isEqualTo(Admission.Verdict.LOCAL_ENDPOINT);
        assertThat(check("GET /health/containers HTTP/1.1\r\nHost: t\r\n\r\n", null))
                .isEqualTo(Admission.Verdict.LOCAL_ENDPOINT);
    }

    @Test
    void aRequestWithoutARouteIsA404() {
        Admission.Verdict v = check("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", null);
        assertThat(v).isEqualTo(Admission.Verdict.NO_ROUTE);
        assertThat(v.status).isEqualTo(404);
        assertThat(Admission.detail(v, "/nowhere", null, 0, 0)).isEqualTo("no route for /nowhere");
    }

    @Test
    void theClientListsComeBeforeTheBodyLimit() {
        Admission.Verdict v = check("POST /app HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n", restricted);
        assertThat(v).isEqualTo(Admission.Verdict.FORBIDDEN);
        assertThat(v.status).isEqualTo(403);
    }

    @Test
    void aDeclaredBodyOverTheLimitIsTooLargeAndOneOfExactlyTheLimitIsAdmitted() {
        Admission.Verdict v = check("POST /app HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n", open);
        assertThat(v).isEqualTo(Admission.Verdict.TOO_LARGE);
        assertThat(v.status).isEqualTo(413);
        assertThat(Admission.detail(v, "/app", open, 1001, GLOBAL_MAX_BODY))
                .isEqualTo("the request body of 1001 bytes is larger than the 1000 bytes /app takes");
        assertThat(check("POST /app HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n", open))
                .isEqualTo(Admission.Verdict.ADMITTED);
    }

    @Test
    void aRoutesOwnBodyLimitReplacesTheGlobalOne() {
        assertThat(Admission.maxBody(restricted, dp.limits)).isEqualTo(10);
        assertThat(Admission.maxBody(open, dp.limits)).isEqualTo(GLOBAL_MAX_BODY);
        assertThat(Admission.maxBody(null, dp.limits)).isEqualTo(GLOBAL_MAX_BODY);
    }

    @Test
    void aRouteThatWakesNothingMatchesNoNoWakeRule() {
        RequestHead head = head("GET /app HTTP/1.1\r\nHost: t\r\nUser-Agent: curl/8\r\n\r\n");
        assertThat(Admission.noWake(open, "GET", "/app", head)).isNull();
    }
}
