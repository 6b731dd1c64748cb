package dev.wakegate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNamesTest {

    @ParameterizedTest
    @CsvSource({
            "App.Example.COM,  app.example.com",
            "example.com.,     example.com",
            "'  a-b_c.test  ', a-b_c.test",
            "*.Example.com,    *.example.com",
            "*.com,            *.com",
            "127.0.0.1,        127.0.0.1",
            "localhost,        localhost",
    })
    void normalisesConfiguredNamesToLowerCaseWithoutTrailingDot(String configured, String expected) {
        assertThat(HostNames.normalise(configured)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "app.example.com:8080 | without a port",
            "*.                   | nothing after '*.'",
            "a.*.example.com      | exactly one whole first label",
            "*example.com         | exactly one whole first label",
            "**.example.com       | exactly one whole first label",
            "a..example.com       | empty label",
            ".example.com         | empty label",
            "bücher.example       | xn-- form",
            "a b.example          | the character ' '",
            "[::1]                | without a port",
    })
    void refusesNamesThatCannotBeAHostWithTheReason(String configured, String reason) {
        assertThatThrownBy(() -> HostNames.normalise(configured))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesOverLongNamesAndLabels() {
        assertThatThrownBy(() -> HostNames.normalise("a".repeat(64) + ".example.com"))
                .hasMessageContaining("label longer than 63");
        assertThatThrownBy(() -> HostNames.normalise(("a".repeat(60) + ".").repeat(5) + "com"))
                .hasMessageContaining("longer than 253");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "app.example.com,      APP.example.com:8443, true",
            "app.example.com,      app.example.com.,     true",
            "app.example.com,      app.example.com,      true",
            "app.example.com,      api.example.com,      false",
            "app.example.com,      app.example.co,       false",
            "[::1],                [::1]:8443,           true",
            "null,                 null,                 true",
            "app.example.com,      null,                 false",
    })
    void comparesHostsIgnoringCasePortAndTrailingDot(String a, String b, boolean same) {
        assertThat(HostNames.sameHost(a, b)).isEqualTo(same);
        assertThat(HostNames.sameHost(b, a)).isEqualTo(same);
    }
}
