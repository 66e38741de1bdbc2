package io.alertrelay.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.domain.DeliveryStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReplayRequestTest {

    @Test
    void aFullFilterIsRead() {
        ReplayRequest r = parse("{\"tenant\":\"contoso\",\"status\":[\"deadlettered\",\"rejected\"],"
                + "\"since\":\"2026-11-30T14:00:00Z\",\"until\":\"2026-11-30T16:00:00Z\","
                + "\"ids\":[\"contoso.ab12\",\"contoso.ab12\"],\"dryRun\":true}");

        assertThat(r.tenant()).isEqualTo("contoso");
        assertThat(r.statuses()).containsExactlyInAnyOrder(DeliveryStatus.DEADLETTERED, DeliveryStatus.REJECTED);
        assertThat(r.since()).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
        assertThat(r.until()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(r.ids()).as("repeated ids once").containsExactly("contoso.ab12");
        assertThat(r.dryRun()).isTrue();
    }

    @Test
    void anEmptyBodySelectsEveryReplayableStatusOfEveryTenant() {
        ReplayRequest r = parse("");

        assertThat(r.tenant()).isNull();
        assertThat(r.criteria().statuses()).isEqualTo(ReplayRequest.REPLAYABLE)
                .doesNotContain(DeliveryStatus.RECEIVED);
        assertThat(r.dryRun()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"status\":\"received\"}|status",
            "{\"status\":\"lost\"}|status",
            "{\"status\":[1]}|status",
            "{\"since\":\"2026-11-30T16:00:00Z\",\"until\":\"2026-11-30T14:00:00Z\"}|since",
            "{\"since\":\"yesterday\"}|since",
            "{\"until\":\"2026-11-30 16:00\"}|until",
            "{\"tenant\":\"Contoso Ltd\"}|tenant",
            "{\"tenant\":7}|tenant",
            "{\"ids\":\"contoso.a\"}|ids",
            "{\"ids\":[\"../etc\"]}|ids",
            "{\"dryRun\":\"yes\"}|dryRun",
            "{\"tenants\":\"contoso\"}|tenants",
            "[1,2]|body",
            "{not json|body"})
    void aBadFilterNamesTheFieldAtFault(String body, String field) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(InvalidReplayRequest.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void moreThanAThousandIdsAreRefused() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i <= ReplayRequest.MAX_IDS; i++) {
            ids.append(i == 0 ? "" : ",").append("\"contoso.").append(Integer.toHexString(i)).append('"');
        }
        assertThatThrownBy(() -> parse("{\"ids\":[" + ids + "]}")).isInstanceOfSatisfying(InvalidReplayRequest.class,
                e -> assertThat(e.field()).isEqualTo("ids"));
    }

    private static ReplayRequest parse(String json) {
        return ReplayRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
