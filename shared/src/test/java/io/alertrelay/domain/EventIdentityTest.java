package io.alertrelay.domain;

import io.alertrelay.domain.schema.AlertNormaliser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN §4: one id per notification, whoever sends it how often; never one id for two events. */
class EventIdentityTest {

    private static final String TENANT = "contoso";

    private static PlatformEvent normalise(String tenant, byte[] body, Instant receivedAt) {
        return new AlertNormaliser(Clock.fixed(receivedAt, ZoneOffset.UTC)).normalise(tenant, body);
    }

    private static PlatformEvent normalise(byte[] body) {
        return normalise(TENANT, body, Instant.parse("2030-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cs-full-metric-resolved.json", "legacy-metric-static.json", "legacy-budget.json",
            "legacy-log-v1-numresults.json", "legacy-activitylog-administrative-restart.json",
            "autoscale-scale-out.json", "cs-ctx-prometheus.json"})
    void theSameNotificationReceivedTwiceGetsTheSameId(String fixture) {
        // a retry after a lost 202 arrives later: the time of receipt must not matter
        PlatformEvent first = normalise(TENANT, Fixtures.bytes(fixture), Instant.parse("2030-01-01T00:00:00Z"));
        PlatformEvent retry = normalise(TENANT, Fixtures.bytes(fixture), Instant.parse("2030-01-01T00:01:15Z"));

        assertThat(retry.id()).isEqualTo(first.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy-budget.json", "legacy-log-v1-numresults.json", "test-metric-static.json",
            "cs-ctx-servicehealth.json"})
    void keyOrderAndWhitespaceDoNotChangeTheId(String fixture) throws Exception {
        JsonNode reordered = reversedKeyOrder(Fixtures.parse(Fixtures.bytes(fixture)));
        byte[] reformatted = Fixtures.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(reordered);

        assertThat(normalise(reformatted).id()).isEqualTo(normalise(Fixtures.bytes(fixture)).id());
    }

    @Test
    void twoActionGroupsWithTheirOwnCustomPropertiesGiveOneId() {
        ObjectNode viaSecondGroup = Fixtures.tree("test-metric-static.json");
        ((ObjectNode) viaSecondGroup.path("data").path("customProperties")).put("team", "storage-oncall");

        assertThat(normalise(Fixtures.toBytes(viaSecondGroup)).id())
                .isEqualTo(normalise(Fixtures.bytes("test-metric-static.json")).id());
    }

    @Test
    void legacyActivityLogEventsAreIdentifiedByTheirEventNotByWebhookProperties() {
        ObjectNode viaSecondGroup = Fixtures.tree("legacy-activitylog-administrative-restart.json");
        ((ObjectNode) viaSecondGroup.path("data").path("properties")).put("customKey1", "another value");

        assertThat(normalise(Fixtures.toBytes(viaSecondGroup)).id())
                .isEqualTo(normalise(Fixtures.bytes("legacy-activitylog-administrative-restart.json")).id());
    }

    @Test
    void firedAndResolvedOfOneAlertGetDifferentIdsButOneAlertKey() {
        PlatformEvent resolved = normalise(Fixtures.bytes("cs-full-metric-resolved.json"));
        ObjectNode firedBody = Fixtures.tree("cs-full-metric-resolved.json");
        ObjectNode essentials = (ObjectNode) firedBody.path("data").path("essentials");
        essentials.put("monitorCondition", "Fired").remove("resolvedDateTime");
        PlatformEvent fired = normalise(Fixtures.toBytes(firedBody));

        assertThat(fired.type()).isEqualTo(EventType.ALERT_FIRED);
        assertThat(resolved.type()).isEqualTo(EventType.ALERT_RESOLVED);
        assertThat(fired.id()).isNotEqualTo(resolved.id());
        assertThat(EventIdentity.alertKey(fired)).isEqualTo(EventIdentity.alertKey(resolved));
    }

    @Test
    void legacyMetricActivatedAndResolvedGetDifferentIdsButOneAlertKey() {
        PlatformEvent activated = normalise(Fixtures.bytes("legacy-metric-static.json"));
        ObjectNode resolvedBody = Fixtures.tree("legacy-metric-static.json");
        ((ObjectNode) resolvedBody.path("data")).put("status", "Resolved");
        ((ObjectNode) resolvedBody.path("data").path("context")).put("timestamp", "2021-11-15T09:45:12.1234567Z");
        PlatformEvent resolved = normalise(Fixtures.toBytes(resolvedBody));

        assertThat(activated.id()).isNotEqualTo(resolved.id());
        assertThat(EventIdentity.alertKey(activated)).isEqualTo(EventIdentity.alertKey(resolved));
    }

    @Test
    void notificationsWithoutAnAlertIdThatDifferGetDifferentIds() {
        ObjectNode laterInTheMonth = Fixtures.tree("legacy-budget.json");
        ((ObjectNode) laterInTheMonth.path("data")).put("SpendingAmount", "9001.00");

        assertThat(normalise(Fixtures.toBytes(laterInTheMonth)).id())
                .isNotEqualTo(normalise(Fixtures.bytes("legacy-budget.json")).id());
    }

    @Test
    void anEventWithoutAlertIdIsItsOwnAlertInstance() {
        PlatformEvent budget = normalise(Fixtures.bytes("legacy-budget.json"));

        assertThat(EventIdentity.alertKey(budget)).isEqualTo(budget.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cs-full-metric-resolved.json", "legacy-budget.json"})
    void differentTenantsNeverShareAnIdOrAnAlertKey(String fixture) {
        PlatformEvent contoso = normalise("contoso", Fixtures.bytes(fixture), Instant.EPOCH);
        PlatformEvent fabrikam = normalise("fabrikam", Fixtures.bytes(fixture), Instant.EPOCH);

        assertThat(contoso.id()).isNotEqualTo(fabrikam.id());
        assertThat(EventIdentity.alertKey(contoso)).isNotEqualTo(EventIdentity.alertKey(fabrikam));
    }

    @Test
    void idsAreAtMost128UrlSafeCharactersEvenForTheLongestTenant() {
        String longestTenant = "t" + "0123456789-abcdefghijklmnopqrstuvwxyz-0123456789-abcdefghijklm".substring(0, 62);
        assertThat(longestTenant).hasSize(63).matches("[a-z0-9][a-z0-9-]{0,62}");

        PlatformEvent event = normalise(longestTenant, Fixtures.bytes("test-service-health.json"), Instant.EPOCH);

        for (String id : List.of(event.id(), EventIdentity.alertKey(event))) {
            assertThat(id).hasSizeLessThanOrEqualTo(128).matches("[a-z0-9.-]+");
            assertThat(URLEncoder.encode(id, StandardCharsets.UTF_8)).isEqualTo(id);
        }
    }

    @Test
    void idsAreStableAcrossRunsAndReleases() {
        // Pinned: if these change, every id changes, and duplicates in flight during a deployment go through twice.
        // They are SHA-256 of the compact sorted-key JSON arrays ["alert-event", tenant, alertId, condition, time],
        // ["notification", tenant, body] and ["alert-instance", tenant, alertId]; checked independently in Python.
        assertThat(normalise(Fixtures.bytes("cs-full-metric-resolved.json")).id())
                .isEqualTo("contoso.9be1a023f126c799713ac5402f63a29e3bdabde3c98a50133e8f2264326f711f");
        assertThat(normalise(Fixtures.bytes("legacy-budget.json")).id())
                .isEqualTo("contoso.55e182f4db262f683af9697199b1adf16077480d4423dad73eddce33e01e7940");
        assertThat(EventIdentity.alertKey(normalise(Fixtures.bytes("cs-full-metric-resolved.json"))))
                .isEqualTo("contoso.b034d489a93a14a1ba3a276de81777c171adb7c1987d806f002942bb2b80e1f7");
    }

    /** The same JSON with every object's keys in reverse order. */
    private static JsonNode reversedKeyOrder(JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            Collections.reverse(fields);
            ObjectNode reversed = Fixtures.MAPPER.createObjectNode();
            fields.forEach(f -> reversed.set(f.getKey(), reversedKeyOrder(f.getValue())));
            return reversed;
        }
        if (node.isArray()) {
            var array = Fixtures.MAPPER.createArrayNode();
            node.forEach(item -> array.add(reversedKeyOrder(item)));
            return array;
        }
        return node;
    }
}
