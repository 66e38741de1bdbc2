package io.alertrelay.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the time formats Azure Monitor uses and writes ISO-8601 UTC (DESIGN §3).
 *
 * <p>Output: {@code 2019-08-21T16:17:47.1551167Z} — always {@code Z}, seconds always present, the sub-second digits
 * the source gave (up to nanoseconds) with trailing zeros dropped. That is exactly how the CloudEvents SDK writes
 * the {@code time} attribute, so {@code time} and {@code data.firedAt} of one event read the same.
 */
public final class UtcTime {

    /** {@code 8/21/2019 4:17:47 PM}: the US-style time some Azure payloads carry; no zone, so UTC. */
    private static final DateTimeFormatter US_DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("M/d/yyyy h:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendPattern(" a")
            .toFormatter(Locale.US);

    /** Tried in order; each yields an instant or throws. A time without a zone is UTC: Azure writes UTC. */
    private static final List<Function<String, Instant>> PARSERS = List.of(
            s -> OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
            s -> LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC),
            s -> ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
            s -> LocalDateTime.parse(s, US_DATE_TIME).toInstant(ZoneOffset.UTC),
            s -> LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant());

    private UtcTime() {
    }

    /** The instant a source time denotes, or empty when it is missing or in no format we know. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String s = text.trim();
        for (Function<String, Instant> parser : PARSERS) {
            Instant instant;
            try {
                instant = parser.apply(s);
            } catch (DateTimeParseException notThisFormat) {
                continue;
            } catch (DateTimeException notAnInstant) {
                return Optional.empty(); // this format, but no instant: -999999999-01-01T00:00:00+18:00
            }
            try {
                // the year must also exist in UTC: +999999999-12-31T23:59:59-18:00 is an instant, but in year
                // 1,000,000,000, which no Java date holds, so the time could never be written
                instant.atOffset(ZoneOffset.UTC);
                return Optional.of(instant);
            } catch (DateTimeException beyondJavaDates) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** ISO-8601 UTC, e.g. {@code 2019-08-21T16:17:47.1551167Z}; null for null. */
    public static String format(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** Re-writes a source time as ISO-8601 UTC; null when it cannot be read. */
    public static String normalise(String text) {
        return parse(text).map(UtcTime::format).orElse(null);
    }
}
