package io.alertrelay.domain;

import io.alertrelay.domain.schema.AlertNormaliser;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ProbeTenantTest {

    private final AlertNormaliser normaliser = new AlertNormaliser();

    @Test
    void everyNotificationOfTheProbeTenantIsAProbeEvent() {
        byte[] body = Fixtures.bytes("test-metric-static.json");

        PlatformEvent probe = normaliser.normalise(ProbeTenant.NAME, body);

        assertThat(probe.type()).isEqualTo(EventType.PROBE);
        assertThat(probe.type().value()).isEqualTo("io.alertrelay.probe");
        assertThat(probe.tenant()).isEqualTo("alertrelay-probe");
        assertThat(probe.data().alertRule()).isNotBlank(); // normalised like any other, so the platform can log it
    }

    @Test
    void theSameNotificationForAnyOtherTenantKeepsItsOwnType() {
        PlatformEvent alert = normaliser.normalise("contoso", Fixtures.bytes("test-metric-static.json"));

        assertThat(alert.type()).isEqualTo(EventType.ALERT_FIRED);
    }

    @Test
    void aProbeEventSurvivesTheCodec() {
        PlatformEvent probe = normaliser.normalise(ProbeTenant.NAME, Fixtures.bytes("test-metric-static.json"));

        assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(probe)).type()).isEqualTo(EventType.PROBE);
    }
}
