package dev.wakegate.park;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserNavigationTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | true
            HEAD | text/html                                                       | true
            GET  | application/json, text/html                                     | false
            GET  | */*                                                             | false
            GET  | text/html;q=0.5, application/json                               | false
            GET  | application/json;q=0.5, text/html                               | true
            GET  | text/html;q=0                                                   | false
            GET  | TEXT/HTML                                                       | true
            POST | text/html                                                       | false
            GET  | image/webp,*/*                                                  | false
            """)
    void prefersHtml(String method, String accept, boolean navigation) {
        assertThat(BrowserNavigation.test(method, accept)).isEqualTo(navigation);
    }
}
