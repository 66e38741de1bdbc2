package io.alertrelay.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigInteger;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "Sev0, Sev0", "Sev4, Sev4", "sev2, Sev2", "SEV 1, Sev1",
            "0, Sev0", "3, Sev3", "4, Sev4",
            "Critical, Sev0", "Error, Sev1", "Warning, Sev2", "Informational, Sev3", "Information, Sev3",
            "verbose, Sev4",
            "5, null", "Sev5, null", "-1, null", "High, null", "'', null", "null, null"})
    void anySpellingBecomesSev0ToSev4OrNull(String spelled, String expected) {
        assertThat(Severity.of(spelled)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"4294967298", "4294967296", "-4294967296", "-4294967294", "9223372036854775807",
            "18446744073709551618", "-9223372036854775808"})
    void numbersBeyondAnIntAreNullNeverWrappedIntoSev0ToSev4(String number) {
        JsonNode value = Fixtures.parse(("{\"severity\": " + number + "}").getBytes()).get("severity");
        assertThat(value.isIntegralNumber()).isTrue();
        assertThat(Severity.of(value)).isNull();
        assertThat(Severity.of(number)).isNull();
        assertThat(Severity.of(LongNode.valueOf(2))).isEqualTo("Sev2");
        assertThat(Severity.of(BigIntegerNode.valueOf(BigInteger.valueOf(4)))).isEqualTo("Sev4");
    }

    @Test
    void numbersAndStringsInJsonAreBothRead() {
        assertThat(Severity.of(IntNode.valueOf(2))).isEqualTo("Sev2");
        assertThat(Severity.of(TextNode.valueOf("3"))).isEqualTo("Sev3");
        assertThat(Severity.of(IntNode.valueOf(7))).isNull();
        assertThat(Severity.of(NullNode.getInstance())).isNull();
    }
}
