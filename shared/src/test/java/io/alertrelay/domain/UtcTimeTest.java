package io.alertrelay.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UtcTimeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", delimiter = '|', value = {
            // offsets become Z; every sub-second digit is kept
            "2019-08-21T16:17:47.1551167+00:00 | 2019-08-21T16:17:47.1551167Z",
            "2021-11-16T08:29:00.141807+00:00  | 2021-11-16T08:29:00.141807Z",
            "2025-04-15T18:17:12.851Z          | 2025-04-15T18:17:12.851Z",
            "2018-03-26T08:10:40Z              | 2018-03-26T08:10:40Z",
            "2019-08-21T18:17:47.5+02:00       | 2019-08-21T16:17:47.5Z",
            // no zone: Azure writes UTC
            "2019-08-21T16:17:47.1551167       | 2019-08-21T16:17:47.1551167Z",
            "8/21/2019 4:17:47 PM              | 2019-08-21T16:17:47Z",
            "1/2/2020 9:05:00 am               | 2020-01-02T09:05:00Z",
            "Wed, 21 Aug 2019 16:17:47 GMT     | 2019-08-21T16:17:47Z",
            "2022-11-01                        | 2022-11-01T00:00:00Z",
            "yesterday                         | null",
            // at the ends of what Java dates hold: kept while UTC has that year, unknown beyond (found by fuzzing)
            "+999999999-12-31T23:59:59.999999999Z | +999999999-12-31T23:59:59.999999999Z",
            "-999999999-01-01T00:00:00Z        | -999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59-18:00   | null",
            "-999999999-01-01T00:00:00+18:00   | null",
            "''                                | null"})
    void sourceTimesBecomeIso8601Utc(String source, String expected) {
        assertThat(UtcTime.normalise(source)).isEqualTo(expected);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"+999999999-12-31T23:59:59-18:00",
            "-999999999-01-01T00:00:00+18:00"})
    void aTimeBeyondJavaDatesInUtcLeavesTheAlertInItsSchemaNotCustom(String time) {
        PlatformEvent event = new io.alertrelay.domain.schema.AlertNormaliser().normalise("contoso",
                io.alertrelay.testing.HostileInputs.commonWith("firedDateTime", time));

        assertThat(event.data().schema()).isEqualTo("common");
        assertThat(event.data().firedAt()).isNull();
        assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(event))).isEqualTo(event);
    }
}
