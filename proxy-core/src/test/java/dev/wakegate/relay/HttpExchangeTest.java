package dev.wakegate.relay;

import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.config.HostPort;
import dev.wakegate.http1.Connection;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.RequestHeadParser;
import dev.wakegate.relay.HttpExchange.RequestPhase;
import dev.wakegate.relay.HttpExchange.ResponsePhase;
import dev.wakegate.route.Route;
import dev.wakegate.testing.CountingMetrics;
import dev.wakegate.testing.FakeGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The state of one request, without Netty: phases, what begin forgets, and the one report per request. */
class HttpExchangeTest {
    private static final Route ROUTE = new Route("/app", List.of("app", "db"), new HostPort("127.0.0.1", 1), true);

    private final HttpExchange ex = new HttpExchange();
    private final FakeGate gate = FakeGate.allReady();
    private final CountingMetrics metrics = new CountingMetrics();

    /** {@code text} parsed as a request head (also used by AdmissionTest). */
    static RequestHead head(String text) {
        RequestHead head = new RequestHead();
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            assertThat(new RequestHeadParser(8192, 32768, 100).parse(in, head)).isPositive();
        } finally {
            in.release();
        }
        return head;
    }

    @Test
    void aBodilessRequestIsReceivedAtOnceAndAChunkedOneWhenItsLastChunkIsIn() {
        ex.begin(head("GET /app HTTP/1.1\r\nHost: t\r\n\r\n"), false);
        assertThat(ex.requestPhase()).isEqualTo(RequestPhase.RECEIVED);
        assertThat(ex.replayable()).isTrue();

        ex.begin(head("POST /app HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"), false);
        assertThat(ex.requestPhase()).isEqualTo(RequestPhase.RECEIVING);
        assertThat(ex.replayable()).isFalse();
        ByteBuf body = Unpooled.copiedBuffer("4\r\nbody\r\n", StandardCharsets.US_ASCII);
        try {
            assertThat(ex.scanBody(body)).isTrue();
            assertThat(ex.received()).isFalse();
            body.writeCharSequence("0\r\n\r\n", StandardCharsets.US_ASCII);
            assertThat(ex.scanBody(body)).isTrue();
            assertThat(ex.requestPhase()).isEqualTo(RequestPhase.RECEIVED);
        } finally {
            body.release();
        }
        ex.requestPassedOn();
        assertThat(ex.requestDone()).isTrue();
    }

    @Test
    void beginForgetsEverythingOfThePreviousRequest() {
        ex.begin(head("HEAD /app HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"), false);
        ex.routed(ROUTE, gate);
        ex.writingFinalHead(200, Connection.KEEP_ALIVE);
        ex.responseEnded(false);
        ex.report(gate, metrics);
        long first = ex.id();

        ex.begin(head("GET /other HTTP/1.0\r\n\r\n"), false);
        assertThat(ex.id()).isEqualTo(first + 1);
        assertThat(ex.method()).isEqualTo("GET");
        assertThat(ex.headRequest()).isFalse();
        assertThat(ex.expectContinue()).isFalse();
        assertThat(ex.clientKeepAlive()).isFalse(); // HTTP/1.0 without keep-alive
        assertThat(ex.route()).isNull();
        assertThat(ex.containers()).isEmpty();
        assertThat(ex.responsePhase()).isEqualTo(ResponsePhase.WAITING);
        assertThat(ex.status()).isZero();
        assertThat(ex.keepAlive()).isFalse();
        assertThat(ex.upstreamReusable()).isFalse();
    }

    @Test
    void theResponsePhasesGoFromWaitingThroughInterimAndBodyToDone() {
        ex.begin(head("PUT /app HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"), false);
        assertThat(ex.awaitingContinue()).isTrue();
        assertThat(ex.responseStarted()).isFalse();
        ex.interimWritten();
        assertThat(ex.responsePhase()).isEqualTo(ResponsePhase.INTERIM);
        assertThat(ex.awaitingContinue()).isFalse();
        assertThat(ex.finalHeadWritten()).isFalse();
        ex.writingFinalHead(201, Connection.KEEP_ALIVE);
        assertThat(ex.responsePhase()).isEqualTo(ResponsePhase.BODY);
        assertThat(ex.finalHeadWritten()).isTrue();
        ex.interimWritten(); // a late 1xx does not move it back
        assertThat(ex.responsePhase()).isEqualTo(ResponsePhase.BODY);
    }

    @Test
    void aResponseThatEndsBeforeTheRequestWasPassedOnLeavesNeitherConnectionReusable() {
        ex.begin(head("POST /app HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n"), false);
        ex.writingFinalHead(413, Connection.KEEP_ALIVE);
        ex.responseEnded(true);
        assertThat(ex.keepAlive()).isFalse();
        assertThat(ex.upstreamReusable()).isFalse();
        assertThat(ex.complete()).isFalse();
    }

    @Test
    void aRequestAndResponseThatBothEndedKeepTheConnectionsAsTheResponseAllows() {
        ex.begin(head("GET /app HTTP/1.1\r\nHost: t\r\n\r\n"), false);
        ex.requestPassedOn();
        ex.writingFinalHead(200, Connection.KEEP_ALIVE);
        ex.responseEnded(true);
        assertThat(ex.complete()).isTrue();
        assertThat(ex.keepAlive()).isTrue();
        assertThat(ex.upstreamReusable()).isTrue();
    }

    @Test
    void aRoutedRequestIsReportedToTheGateAndTheMetricsExactlyOnce() {
        ex.begin(head("GET /app HTTP/1.1\r\nHost: t\r\n\r\n"), false);
        ex.routed(ROUTE, gate);
        assertThat(gate.inFlight()).isEqualTo(1);
        ex.answered(503, Connection.CLOSE);
        ex.report(gate, metrics);
        ex.report(gate, metrics);
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.ended.get()).isEqualTo(1);
        assertThat(metrics.completed).containsExactly("/app 503");
    }

    @Test
    void aRequestClosedBeforeAnyStatusIsEndedAtTheGateButNotCountedAsCompleted() {
        ex.begin(head("GET /app HTTP/1.1\r\nHost: t\r\n\r\n"), false);
        ex.routed(ROUTE, gate);
        ex.report(gate, metrics);
        assertThat(gate.inFlight()).isZero();
        assertThat(metrics.completed).isEmpty();
    }

    @Test
    void aRefusedHeadIsCountedWithoutARoute() {
        ex.refuseHead(431, new AccessLog(), "127.0.0.1");
        ex.report(gate, metrics);
        assertThat(metrics.completed).containsExactly("null 431");
        assertThat(gate.started.get()).isZero();
    }

    @Test
    void aDrainingServerGivesNoKeepAliveToTheClient() {
        ex.begin(head("GET /app HTTP/1.1\r\nHost: t\r\n\r\n"), true);
        assertThat(ex.clientKeepAlive()).isFalse();
    }
}
