package dev.wakegate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.TlsSettings;
import dev.wakegate.http1.Connection;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.ResponseHead;
import dev.wakegate.http1.ResponseHeadParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsPolicyTest {
    private static final HttpsPolicy REDIRECT_8443 = HttpsPolicy.of(new TlsSettings(new HostPort("0.0.0.0", 8443),
            List.of(), true, Optional.empty(), Optional.of(Duration.ofDays(365))));
    private static final HttpsPolicy REDIRECT_443 = HttpsPolicy.of(new TlsSettings(new HostPort("0.0.0.0", 8443),
            List.of(), true, Optional.of(443), Optional.empty()));

    @ParameterizedTest
    @CsvSource({
            "/,                                   true",
            "/index.html,                         true",
            "/healthz,                            true",
            "/health,                             false",
            "/health/containers,                  false",
            "/.well-known/acme-challenge/abc,     false",
            "/.well-known/other,                  true",
            "*,                                   false",
    })
    void redirectsEverythingButHealthAndAcmeChallenges(String path, boolean redirects) {
        assertThat(REDIRECT_8443.redirects(path)).isEqualTo(redirects);
        assertThat(HttpsPolicy.NONE.redirects(path)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "App.example.com:8000, /a/b?x=1&y=%20,                       https://App.example.com:8443/a/b?x=1&y=%20",
            "app.example.com,      /,                                    https://app.example.com:8443/",
            "[::1]:80,             /x,                                   https://[::1]:8443/x",
            "app.example.com,      http://app.example.com:8000/p?q=1,    https://app.example.com:8443/p?q=1",
            "app.example.com,      http://app.example.com?q=1,           https://app.example.com:8443/?q=1",
            "app.example.com,      http://app.example.com,               https://app.example.com:8443/",
    })
    void theLocationKeepsPathAndQueryAndNamesTheHttpsPort(String host, String target, String location) {
        ByteBuf r = REDIRECT_8443.redirect(ByteBufAllocator.DEFAULT, host, target, Connection.KEEP_ALIVE);
        try {
            String text = r.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 308 Permanent Redirect\r\n").contains("Location: " + location + "\r\n")
                    .contains("Content-Length: 0\r\n").doesNotContain("Connection: close");
        } finally {
            r.release();
        }
    }

    @Test
    void port443IsLeftOutAndNothingToRedirectToIsNull() {
        ByteBuf r = REDIRECT_443.redirect(ByteBufAllocator.DEFAULT, "a.example.com:80", "/x", Connection.CLOSE);
        try {
            assertThat(r.toString(StandardCharsets.ISO_8859_1)).contains("Location: https://a.example.com/x\r\n")
                    .contains("Connection: close\r\n");
        } finally {
            r.release();
        }
        assertThat(REDIRECT_443.redirect(ByteBufAllocator.DEFAULT, null, "/x", Connection.KEEP_ALIVE)).isNull();
        assertThat(REDIRECT_443.redirect(ByteBufAllocator.DEFAULT, "a", "*", Connection.KEEP_ALIVE)).isNull();
    }

    @Test
    void hstsGoesBeforeTheEmptyLineAndTheBodyBytesFollowUntouched() {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello";
        assertThat(written(REDIRECT_8443, response)).isEqualTo(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nStrict-Transport-Security: max-age=31536000\r\n\r\nhello");
    }

    @Test
    void anUpstreamsOwnHstsIsKeptAndNotDoubled() {
        String response = "HTTP/1.1 200 OK\r\nstrict-TRANSPORT-security: max-age=60\r\nContent-Length: 0\r\n\r\n";
        assertThat(written(REDIRECT_8443, response)).isEqualTo(response);
    }

    @Test
    void withoutHstsTheHeadIsWrittenAsItCame() {
        String response = "HTTP/1.1 204 No Content\r\n\r\n";
        assertThat(written(REDIRECT_443, response)).isEqualTo(response);
        assertThat(written(HttpsPolicy.NONE, response)).isEqualTo(response);
    }

    /** What the policy writes for a response that arrived as one buffer (head and body). */
    private static String written(HttpsPolicy policy, String response) {
        ByteBuf in = Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1);
        ResponseHead head = new ResponseHead();
        int n = new ResponseHeadParser(8192).parse(in, head);
        assertThat(n).isGreaterThan(0).isNotEqualTo(RequestHead.NEED_MORE);
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = ch.pipeline().firstContext();
        policy.writeResponseHead(ctx, in, head);
        ch.flush();
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        assertThat(in.refCnt()).isZero();
        ch.finishAndReleaseAll();
        return out.toString();
    }
}
