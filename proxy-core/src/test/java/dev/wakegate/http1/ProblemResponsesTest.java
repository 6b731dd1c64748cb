package dev.wakegate.http1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemResponsesTest {

    /** Decodes the bytes with Netty's client codec, so the framing is checked by an independent parser. */
    private static FullHttpResponse decode(ByteBuf bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(65536));
        // the client codec pairs responses with requests it has sent
        ch.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/"));
        ByteBuf sent = ch.readOutbound();
        sent.release();
        ch.writeInbound(bytes);
        FullHttpResponse response = ch.readInbound();
        ch.finishAndReleaseAll();
        return response;
    }

    @Test
    void problemIsACompleteProblemJsonResponse() throws Exception {
        ByteBuf buf = ProblemResponses.problem(ByteBufAllocator.DEFAULT, 503,
                "container \"grafana\" is starting\n", Map.of("container", "grafana"), Connection.CLOSE, "Retry-After", "5");
        FullHttpResponse response = decode(buf);
        try {
            assertThat(response.decoderResult().isSuccess()).isTrue();
            assertThat(response.status().code()).isEqualTo(503);
            assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.headers().get("Connection")).isEqualTo("close");
            assertThat(response.headers().get("Retry-After")).isEqualTo("5");
            JsonNode json = new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
            assertThat(json.get("type").asText()).isEqualTo("about:blank");
            assertThat(json.get("title").asText()).isEqualTo("Service Unavailable");
            assertThat(json.get("status").asInt()).isEqualTo(503);
            assertThat(json.get("detail").asText()).isEqualTo("container \"grafana\" is starting\n");
            assertThat(json.get("container").asText()).isEqualTo("grafana");
        } finally {
            response.release();
        }
    }

    @Test
    void simpleKeepsTheConnectionOpenUnlessAsked() {
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = ProblemResponses.simple(ByteBufAllocator.DEFAULT, 200, "text/plain", body, Connection.KEEP_ALIVE);
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        buf.release();
        assertThat(text).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void refusesHeaderValuesThatWouldSplitTheResponse() {
        assertThatThrownBy(() -> ProblemResponses.simple(ByteBufAllocator.DEFAULT, 200, "text/plain", new byte[0], Connection.KEEP_ALIVE,
                "X", "a\r\nSet-Cookie: x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProblemResponses.simple(ByteBufAllocator.DEFAULT, 200, "text/plain", new byte[0], Connection.KEEP_ALIVE,
                "X Y", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonPhrasesAreNettysForEveryCode() {
        for (int status = 0; status < 1000; status++) {
            assertThat(ProblemResponses.reason(status)).as("%d", status)
                    .isEqualTo(io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase());
        }
    }

    @Test
    void aNullDetailOrContentTypeIsLeftOut() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ProblemResponses.problemJson(404, null, Map.of()));
        assertThat(json.has("detail")).isFalse();
        assertThat(json.get("status").asInt()).isEqualTo(404);
        FullHttpResponse response = decode(ProblemResponses.simple(ByteBufAllocator.DEFAULT, 308, null, new byte[0],
                Connection.KEEP_ALIVE, "Location", "https://a/"));
        try {
            assertThat(response.decoderResult().isSuccess()).isTrue();
            assertThat(response.headers().contains("Content-Type")).isFalse();
            assertThat(response.headers().get("Content-Length")).isEqualTo("0");
            assertThat(response.headers().get("Location")).isEqualTo("https://a/");
        } finally {
            response.release();
        }
    }
}
