package dev.wakegate.http1;

import java.nio.charset.StandardCharsets;

/**
 * Request bytes shared by the parser tests and {@code HeadDecodeBenchmark}, so the benchmark
 * measures exactly what the tests check.
 */
public final class HeadFixtures {
    /** A typical Chrome navigation request (~500 bytes): what the benchmark decodes. */
    public static final String CHROME_GET_TEXT = "GET /dashboards/d/overview?orgId=1&refresh=30s HTTP/1.1\r\n"
            + "Host: grafana.example.internal:8000\r\n"
            + "Connection: keep-alive\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n"
            + "Cookie: grafana_session=3f1b2c4d5e6f708192a3b4c5d6e7f809; theme=dark\r\n"
            + "Sec-Fetch-Site: none\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "\r\n";

    public static final byte[] CHROME_GET = CHROME_GET_TEXT.getBytes(StandardCharsets.ISO_8859_1);

    /** Small limits used by the limit tests. */
    public static final int MAX_REQUEST_LINE = 8192;
    public static final int MAX_HEAD_SIZE = 32768;
    public static final int MAX_HEADERS = 100;

    private HeadFixtures() {
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
