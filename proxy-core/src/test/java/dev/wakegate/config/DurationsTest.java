package dev.wakegate.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The one duration notation: what refusals, start failures, engine deadlines and idle reasons say. */
class DurationsTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
            "0,           0s",
            "600,         600ms",
            "1600,        1600ms",
            "2000,        2s",
            "60000,       60s",      // under two minutes: seconds, as people say them
            "90000,       90s",
            "120000,      2m",
            "150000,      150s",     // exact: not a whole minute
            "1800000,     30m",
            "7200000,     2h",
            "86400000,    1d",
            "90000000,    25h",
            "31536000000, 365d",
    })
    void formatsExactlyInTheLargestUnitThatDividesIt(long millis, String expected) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
            "1500,      1s",
            "119999,    119s",
            "150000,    2m",
            "1859000,   30m",
            "7200000,   2h",
    })
    void approximatesToSecondsUnderTwoMinutesElseMinutes(long millis, String expected) {
        assertThat(Durations.approx(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"600ms", "2s", "60s", "90s", "30m", "2h", "1d", "365d"})
    void whatItWritesParsesBackToTheSameDuration(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
}
