package io.alertrelay.adapter.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    // RFC 9110's own example instant: Sunday, 6 November 1994, 08:49:37 UTC.
    private static final Instant EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void parsesDelaySeconds() {
        assertThat(RetryAfter.parse("2", EXAMPLE)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse("0", EXAMPLE)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse(" 120 ", EXAMPLE)).contains(Duration.ofSeconds(120));
    }

    @Test
    void parsesAnImfFixdateAsTheTimeUntilThen() {
        Instant now = EXAMPLE.minusSeconds(3);
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now)).contains(Duration.ofSeconds(3));
    }

    @Test
    void parsesTheObsoleteDateFormsRecipientsMustAccept() {
        Instant now = EXAMPLE.minusSeconds(90);
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", now)).contains(Duration.ofSeconds(90));
    }

    @Test
    void readsATwoDigitYearAsTheOneWithinFiftyYears() {
        // Late in 2029 "30" is 2030 (ahead, within 50 years), "94" is 1994 (2094 would be over 50 years ahead).
        Instant now = Instant.parse("2029-12-31T23:59:00Z");
        assertThat(RetryAfter.parse("Tuesday, 01-Jan-30 00:00:00 GMT", now)).contains(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now)).contains(Duration.ZERO);
    }

    @Test
    void aDateInThePastMeansRetryNow() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE.plusSeconds(60))).contains(Duration.ZERO);
    }

    @Test
    void absurdlyLongAdviceIsClampedNotOverflowed() {
        assertThat(RetryAfter.parse("99999999999999999999999", EXAMPLE)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", EXAMPLE)).contains(RetryAfter.MAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-1", "-5", "1.5", "+3", "2s", "soon", "Sun, 06 Nov 1994", "0x10",
            "Sun, 32 Nov 1994 08:49:37 GMT"})
    void garbageAndNegativeValuesAreEmpty(String value) {
        assertThat(RetryAfter.parse(value, EXAMPLE)).isEmpty();
    }

    @Test
    void anAbsentHeaderIsEmpty() {
        assertThat(RetryAfter.parse(null, EXAMPLE)).isEmpty();
    }
}
