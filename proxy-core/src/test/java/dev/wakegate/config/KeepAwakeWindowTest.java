package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Keep-awake windows as pure functions of an instant (a fake clock without timers): the written
 * forms, the refusals, windows across midnight, {@code 24:00}, and Europe/Berlin's 2026 daylight
 * saving changes both ways (29 March 02:00 → 03:00, 25 October 03:00 → 02:00).
 */
class KeepAwakeWindowTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mon-fri 08:00-18:00    | MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY | 480  | 1080
            mon,wed,fri 9:30-12:00 | MONDAY,WEDNESDAY,FRIDAY                  | 570  | 720
            sat-sun 00:00-24:00    | SATURDAY,SUNDAY                          | 0    | 1440
            fri-mon 22:00-06:00    | FRIDAY,SATURDAY,SUNDAY,MONDAY            | 1320 | 360
            Mon-Tue,Sun 07:00 - 08:00 | MONDAY,TUESDAY,SUNDAY                 | 420  | 480
            12:00-13:00            | MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY,SUNDAY | 720 | 780
            """)
    void parsesDaysRangesListsAndTimes(String text, String days, int start, int end) {
        KeepAwakeWindow w = KeepAwakeWindow.parse(text);
        EnumSet<DayOfWeek> expected = EnumSet.noneOf(DayOfWeek.class);
        for (String d : days.split(",")) {
            expected.add(DayOfWeek.valueOf(d));
        }
        assertThat(w.days()).isEqualTo(expected);
        assertThat(w.startMinute()).isEqualTo(start);
        assertThat(w.endMinute()).isEqualTo(end);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mon-fri                 | is not a window like 'mon-fri 08:00-18:00'
            mon-fri 8-18            | is not a window like
            mon-fry 08:00-18:00     | 'fry' is not a day
            mon-tue-wed 08:00-18:00 | is neither a day
            mon,,fri 08:00-18:00    | is neither a day
            mon 25:00-26:00         | '25:00' is not a time of day
            mon 08:00-18:60         | '18:60' is not a time of day
            mon 24:00-06:00         | 24:00 may only end a window
            mon 08:00-08:00         | opens and closes at the same time
            """)
    void refusesBadWindowsSayingWhy(String text, String reason) {
        assertThatThrownBy(() -> KeepAwakeWindow.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aWeekdayWindowHoldsFromItsOpeningIncludedToItsClosingExcluded() {
        KeepAwakeWindow w = KeepAwakeWindow.parse("mon-fri 08:00-18:00");
        // 2026-03-02 is a Monday
        assertThat(w.openUntil(at("2026-03-02T07:59:59Z"), UTC)).isNull();
        assertThat(w.openUntil(at("2026-03-02T08:00:00Z"), UTC)).isEqualTo(at("2026-03-02T18:00:00Z"));
        assertThat(w.openUntil(at("2026-03-02T17:59:59Z"), UTC)).isEqualTo(at("2026-03-02T18:00:00Z"));
        assertThat(w.openUntil(at("2026-03-02T18:00:00Z"), UTC)).isNull();
        assertThat(w.openUntil(at("2026-03-07T12:00:00Z"), UTC)).as("saturday").isNull();
        assertThat(w.nextOpening(at("2026-03-06T18:00:00Z"), UTC)).as("friday evening → monday")
                .isEqualTo(at("2026-03-09T08:00:00Z"));
        assertThat(w.nextOpening(at("2026-03-02T08:00:00Z"), UTC)).as("strictly after").isEqualTo(at("2026-03-03T08:00:00Z"));
    }

    @Test
    void aWindowAcrossMidnightBelongsToTheDayItOpens() {
        KeepAwakeWindow w = KeepAwakeWindow.parse("fri 22:00-06:00");
        // 2026-03-06 is a Friday
        assertThat(w.openUntil(at("2026-03-06T21:59:00Z"), UTC)).isNull();
        assertThat(w.openUntil(at("2026-03-06T22:00:00Z"), UTC)).isEqualTo(at("2026-03-07T06:00:00Z"));
        assertThat(w.openUntil(at("2026-03-07T05:59:59Z"), UTC)).as("saturday morning, opened friday")
                .isEqualTo(at("2026-03-07T06:00:00Z"));
        assertThat(w.openUntil(at("2026-03-07T06:00:00Z"), UTC)).isNull();
        assertThat(w.openUntil(at("2026-03-07T23:00:00Z"), UTC)).as("saturday night: it opens on fridays only").isNull();
        assertThat(w.openUntil(at("2026-03-06T03:00:00Z"), UTC)).as("friday early morning: thursday's would-be window")
                .isNull();
    }

    @Test
    void twentyFourHundredEndsTheDayAndWholeDaysChain() {
        KeepAwakeWindow evening = KeepAwakeWindow.parse("mon 18:00-24:00");
        assertThat(evening.openUntil(at("2026-03-02T23:59:59Z"), UTC)).isEqualTo(at("2026-03-03T00:00:00Z"));
        assertThat(evening.openUntil(at("2026-03-03T00:00:00Z"), UTC)).isNull();

        KeepAwakeWindow weekend = KeepAwakeWindow.parse("sat-sun 00:00-24:00");
        assertThat(weekend.openUntil(at("2026-03-07T00:00:00Z"), UTC)).isEqualTo(at("2026-03-08T00:00:00Z"));
        assertThat(weekend.openUntil(at("2026-03-08T12:00:00Z"), UTC)).isEqualTo(at("2026-03-09T00:00:00Z"));
        assertThat(weekend.openUntil(at("2026-03-09T00:00:00Z"), UTC)).as("monday").isNull();
    }

    @Test
    void theWindowsWallClockIsTheConfiguredZone() {
        KeepAwakeWindow w = KeepAwakeWindow.parse("mon-fri 08:00-18:00");
        // 08:00 in Berlin in winter (CET, +01:00) is 07:00 UTC
        assertThat(w.openUntil(at("2026-03-02T07:00:00Z"), BERLIN)).isEqualTo(at("2026-03-02T17:00:00Z"));
        assertThat(w.openUntil(at("2026-03-02T06:59:59Z"), BERLIN)).isNull();
        // and in summer (CEST, +02:00) 06:00 UTC
        assertThat(w.openUntil(at("2026-06-01T06:00:00Z"), BERLIN)).isEqualTo(at("2026-06-01T16:00:00Z"));
    }

    @Test
    void springForwardAWindowOpeningInTheSkippedHourOpensAtTheJump() {
        // Sunday 29 March 2026: at 02:00 CET (01:00 UTC) Berlin's clocks jump to 03:00 CEST
        KeepAwakeWindow w = KeepAwakeWindow.parse("sun 02:30-04:00");
        assertThat(w.nextOpening(at("2026-03-28T12:00:00Z"), BERLIN)).isEqualTo(at("2026-03-29T01:00:00Z"));
        assertThat(w.openUntil(at("2026-03-29T00:59:59Z"), BERLIN)).isNull();
        Instant until = w.openUntil(at("2026-03-29T01:00:00Z"), BERLIN);
        assertThat(until).as("04:00 CEST").isEqualTo(at("2026-03-29T02:00:00Z"));
        assertThat(Duration.between(at("2026-03-29T01:00:00Z"), until)).as("an hour: 03:00 to 04:00 CEST")
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void springForwardANightWindowIsAnHourShorter() {
        KeepAwakeWindow w = KeepAwakeWindow.parse("sat 22:00-06:00");
        Instant open = w.nextOpening(at("2026-03-28T12:00:00Z"), BERLIN); // 22:00 CET = 21:00 UTC
        assertThat(open).isEqualTo(at("2026-03-28T21:00:00Z"));
        assertThat(w.openUntil(open, BERLIN)).as("06:00 CEST = 04:00 UTC").isEqualTo(at("2026-03-29T04:00:00Z"));
        assertThat(Duration.between(open, w.openUntil(open, BERLIN))).isEqualTo(Duration.ofHours(7));
    }

    @Test
    void fallBackARepeatedTimeIsItsFirstOccurrenceAndANightWindowIsAnHourLonger() {
        // Sunday 25 October 2026: at 03:00 CEST (01:00 UTC) Berlin's clocks go back to 02:00 CET
        KeepAwakeWindow repeated = KeepAwakeWindow.parse("sun 02:30-05:00");
        Instant open = repeated.nextOpening(at("2026-10-24T12:00:00Z"), BERLIN);
        assertThat(open).as("the first 02:30, in CEST").isEqualTo(at("2026-10-25T00:30:00Z"));
        assertThat(repeated.openUntil(at("2026-10-25T01:45:00Z"), BERLIN)).as("held through the repeated hour")
                .isEqualTo(at("2026-10-25T04:00:00Z"));

        KeepAwakeWindow night = KeepAwakeWindow.parse("sat 22:00-06:00");
        Instant nightOpen = night.nextOpening(at("2026-10-24T12:00:00Z"), BERLIN); // 22:00 CEST = 20:00 UTC
        assertThat(nightOpen).isEqualTo(at("2026-10-24T20:00:00Z"));
        assertThat(Duration.between(nightOpen, night.openUntil(nightOpen, BERLIN))).isEqualTo(Duration.ofHours(9));
        assertThat(night.openUntil(at("2026-10-25T04:59:59Z"), BERLIN)).as("05:59 CET").isNotNull();
        assertThat(night.openUntil(at("2026-10-25T05:00:00Z"), BERLIN)).as("06:00 CET").isNull();
    }

    @Test
    void aWrappingDayRangeRunsThroughTheWeekend() {
        KeepAwakeWindow w = KeepAwakeWindow.parse("fri-mon 10:00-11:00");
        assertThat(w.days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY,
                DayOfWeek.MONDAY);
        assertThat(w.openUntil(at("2026-03-08T10:30:00Z"), UTC)).as("sunday").isNotNull();
        assertThat(w.openUntil(at("2026-03-04T10:30:00Z"), UTC)).as("wednesday").isNull();
    }
}
