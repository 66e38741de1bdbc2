package io.alertrelay.adapter.platform;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. For the date, all
 * three forms a recipient must accept (§5.6.7): IMF-fixdate, the obsolete RFC 850 form and asctime.
 */
public final class RetryAfter {

    /**
     * Longer advice is as good as "not within this invocation": clamping keeps the arithmetic far from overflow
     * while still being longer than any time budget.
     */
    static final Duration MAX = Duration.ofDays(1);

    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (RFC_1123_DATE_TIME is a lenient superset of it).
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    // asctime "Sun Nov  6 08:49:37 1994": the day is padded with a space, the zone is implied UTC.
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfter() {
    }

    /**
     * The wait the server asked for, measured from {@code now}; a date in the past is a wait of zero. Empty when the
     * header is absent or not one of the allowed forms (including negative or fractional seconds): the caller then
     * falls back to its own backoff.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // delay-seconds = 1*DIGIT; more than 12 digits would only be clamped anyway, and must not overflow.
            long seconds = v.length() > 12 ? Long.MAX_VALUE : Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.min(seconds, MAX.getSeconds())));
        }
        for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850(now), ASCTIME)) {
            try {
                Instant at = ZonedDateTime.parse(v, format).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : clamp(wait));
            } catch (DateTimeParseException e) {
                // not this form: try the next
            }
        }
        return Optional.empty();
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /**
     * RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT". Its two-digit year is the one within 50 years of now: RFC 9110 says
     * a year that seems more than 50 years ahead is the most recent past year with those digits.
     */
    private static DateTimeFormatter rfc850(Instant now) {
        int base = now.atZone(ZoneOffset.UTC).getYear() - 49;
        return new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, base)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC);
    }
}
