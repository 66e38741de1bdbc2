package io.alertrelay.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.testing.HostileInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bus message of an event (DESIGN §6): its application properties are always sendable. */
class AlertMessagesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Platform|Platform",
            "lone high \uD800 in the middle|lone high \uFFFD in the middle",
            "lone low \uDC00|lone low \uFFFD",
            "\uDC00\uD800 swapped|\uFFFD\uFFFD swapped",
            "a pair \uD83D\uDE00 stays|a pair \uD83D\uDE00 stays",
            "high at the end \uD83D|high at the end \uFFFD"})
    void aPropertyIsValidUnicodeWhateverTheNotificationSpelled(String spelled, String property) {
        assertThat(AlertMessages.propertyValue(spelled)).isEqualTo(property);
    }

    @Test
    void aLongPropertyIsCutNeverSplittingAPairWhileTheBodyKeepsTheWholeValue() {
        String pairAcrossTheCut = "m".repeat(AlertMessages.MAX_PROPERTY_CHARS - 1) + "\uD83D\uDE00" + "m".repeat(500);
        PlatformEvent event = new AlertNormaliser().normalise("contoso",
                HostileInputs.commonWith("monitoringService", pairAcrossTheCut));

        AlertMessage m = AlertMessages.of(event, PlatformEventCodec.toJson(event), false);

        assertThat(m.properties().get("monitoringService"))
                .isEqualTo("m".repeat(AlertMessages.MAX_PROPERTY_CHARS - 1));
        assertThat(PlatformEventCodec.fromJson(m.body()).data().monitoringService()).isEqualTo(pairAcrossTheCut);
    }

    @Test
    void aLoneSurrogateInMonitoringServiceLeavesASendablePropertyAndTheExactValueInTheBody() {
        PlatformEvent event = new AlertNormaliser().normalise("contoso",
                HostileInputs.commonWithRaw("monitoringService", "\"Platform \\ud800\""));

        AlertMessage m = AlertMessages.of(event, PlatformEventCodec.toJson(event), false);

        assertThat(m.properties().get("monitoringService")).isEqualTo("Platform \uFFFD");
        assertThat(PlatformEventCodec.fromJson(m.body()).data().monitoringService()).isEqualTo("Platform \uD800");
    }
}
