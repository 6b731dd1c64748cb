package dev.wakegate.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One keep-awake window ({@code containers.<name>.keep_awake}): days of the week and a time range
 * on the wall clock of {@code automation.timezone}, written {@code mon-fri 08:00-18:00}.
 *
 * <ul>
 *   <li>Days: {@code mon tue wed thu fri sat sun}, comma-separated, ranges with {@code -}
 *       ({@code mon-fri}, {@code mon,wed,fri}, {@code sat-sun}; a range may wrap: {@code fri-mon}).
 *       Left out: every day.</li>
 *   <li>Times: {@code HH:MM-HH:MM}; the end may be {@code 24:00} (the end of the day). An end at or
 *       before the start crosses midnight: {@code fri 22:00-06:00} runs from Friday 22:00 to
 *       Saturday 06:00 (the days name the day a window opens).</li>
 *   <li>Daylight-saving changes: times are wall-clock times of the zone. A time the clock skips
 *       (02:30 when it jumps from 02:00 to 03:00) is the moment it jumps (03:00); a time the clock
 *       shows twice (02:30 when it goes back from 03:00 to 02:00) is its first occurrence. So a
 *       window across such a night is an hour shorter or longer than its wall-clock span.</li>
 * </ul>
 *
 * Pure functions of an instant and a zone, so they are tested against a fake clock without timers.
 *
 * @param days        the days an occurrence opens on
 * @param startMinute minute of the day it opens, 0..1439
 * @param endMinute   minute of the day it closes, 1..1440 (1440 = 24:00); at or before the start: the next day
 * @param text        as written (trimmed, lower-case), for messages and {@code /health}
 */
public record KeepAwakeWindow(Set<DayOfWeek> days, int startMinute, int endMinute, String text) {

    private static final Pattern FORM = Pattern.compile("(?:([a-z,\\-]+)\\s+)?(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final String[] DAY_NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    public KeepAwakeWindow {
        days = Set.copyOf(days);
    }

    /**
     * Parses one window.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static KeepAwakeWindow parse(String given) {
        String text = given.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + given.trim() + "' is not a window like 'mon-fri 08:00-18:00'"
                    + " (days mon..sun, ranges and lists; times HH:MM, the end may be 24:00)");
        }
        Set<DayOfWeek> days = m.group(1) == null ? EnumSet.allOf(DayOfWeek.class) : days(m.group(1), given.trim());
        int start = minute(m.group(2), false, given.trim());
        int end = minute(m.group(3), true, given.trim());
        if (start == end) {
            throw new IllegalArgumentException("'" + given.trim() + "' opens and closes at the same time"
                    + " (a whole day is 00:00-24:00)");
        }
        return new KeepAwakeWindow(days, start, end, text);
    }

    private static Set<DayOfWeek> days(String spec, String given) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String item : spec.split(",", -1)) {
            String[] ends = item.split("-", -1);
            if (ends.length > 2 || item.isEmpty()) {
                throw new IllegalArgumentException("'" + given + "': '" + item + "' is neither a day (mon..sun) nor a range like mon-fri");
            }
            DayOfWeek first = day(ends[0], given);
            DayOfWeek last = ends.length == 2 ? day(ends[1], given) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                out.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String name, String given) {
        for (int i = 0; i < DAY_NAMES.length; i++) {
            if (DAY_NAMES[i].equals(name)) {
                return DayOfWeek.of(i + 1);
            }
        }
        throw new IllegalArgumentException("'" + given + "': '" + name + "' is not a day (mon, tue, wed, thu, fri, sat, sun)");
    }

    private static int minute(String hhmm, boolean isEnd, String given) {
        Matcher t = TIME.matcher(hhmm);
        if (!t.matches()) {
            throw new IllegalArgumentException("'" + given + "': '" + hhmm + "' is not a time HH:MM");
        }
        int h = Integer.parseInt(t.group(1));
        int min = Integer.parseInt(t.group(2));
        if (h == 24 && min == 0 && isEnd) {
            return 1440;
        }
        if (h > 23 || min > 59) {
            throw new IllegalArgumentException("'" + given + "': '" + hhmm + "' is not a time of day"
                    + (h == 24 ? " (24:00 may only end a window)" : " (00:00 to 23:59)"));
        }
        return h * 60 + min;
    }

    /** True when it closes on the day after it opens (the end is at or before the start, or is 24:00). */
    boolean crossesMidnight() {
        return endMinute <= startMinute || endMinute == 1440;
    }

    /**
     * When the occurrence holding {@code t} closes (the latest, if two overlap); null when {@code t}
     * lies in none. An occurrence holds the instants from its opening, included, to its closing, excluded.
     */
    public @Nullable Instant openUntil(Instant t, ZoneId zone) {
        LocalDate today = t.atZone(zone).toLocalDate();
        Instant until = null;
        for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
            if (!days.contains(d.getDayOfWeek())) {
                continue;
            }
            Instant open = opening(d, zone);
            Instant close = closing(d, zone);
            if (!t.isBefore(open) && t.isBefore(close) && (until == null || close.isAfter(until))) {
                until = close;
            }
        }
        return until;
    }

    /** The first opening after {@code t} (strictly); every window opens at least once a week. */
    public Instant nextOpening(Instant t, ZoneId zone) {
        LocalDate today = t.atZone(zone).toLocalDate();
        for (LocalDate d = today.minusDays(1); ; d = d.plusDays(1)) {
            if (days.contains(d.getDayOfWeek())) {
                Instant open = opening(d, zone);
                if (open.isAfter(t)) {
                    return open;
                }
            }
        }
    }

    private Instant opening(LocalDate day, ZoneId zone) {
        return instant(day.atTime(LocalTime.of(startMinute / 60, startMinute % 60)), zone);
    }

    private Instant closing(LocalDate openedOn, ZoneId zone) {
        LocalDate day = crossesMidnight() ? openedOn.plusDays(1) : openedOn;
        int m = endMinute % 1440;
        return instant(day.atTime(LocalTime.of(m / 60, m % 60)), zone);
    }

    /** A wall-clock time of {@code zone} as an instant: a skipped time is the jump, a repeated one its first occurrence. */
    static Instant instant(LocalDateTime wall, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(wall);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.ofLocal(wall, zone, null).toInstant(); // overlap: the earlier offset
    }

    @Override
    public String toString() {
        return text;
    }
}
