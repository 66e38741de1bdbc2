package io.alertrelay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.InMemoryLogSink;
import io.alertrelay.testing.RecordingPublisher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "contoso";

    private final TenantTokens tokens = new TenantTokens(List.of(new Secret("test-key")));
    private final String token = tokens.tokenFor(TENANT);
    private final RecordingPublisher bus = new RecordingPublisher();
    private final InMemoryStore store = new InMemoryStore();
    private final AlertIntake intake = AlertIntake.builder().tokens(tokens).publisher(bus).claimCheckStore(store).build();

    @Test
    void validNotificationIsAcceptedOnlyAfterTheBusTookItAndCarriesTheDesignsMessageFields() throws Exception {
        IntakeResponse r = intake.handle(request(Fixtures.bytes("test-metric-static.json")));

        assertThat(r.status()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(bus.published()).hasSize(1);
        AlertMessage m = bus.published().get(0);
        assertThat(body.path("id").asText()).isEqualTo(m.messageId()).startsWith(TENANT + ".");
        assertThat(body.path("type").asText()).isEqualTo("io.alertrelay.alert.fired").isEqualTo(m.subject());
        assertThat(m.contentType()).isEqualTo("application/cloudevents+json");
        assertThat(m.properties()).containsEntry("tenant", TENANT).containsEntry("severity", "Sev4")
                .containsEntry("condition", "Fired").containsEntry("monitoringService", "Platform")
                .containsEntry("schema", "common").containsEntry("lane", "standard")
                .doesNotContainKey(ClaimCheck.PROPERTY);
        assertThat(PlatformEventCodec.fromJson(m.body()).id()).isEqualTo(m.messageId());
    }

    /**
     * Issue 14: a tenant over its fair share has its further alerts published in the bulk lane (the message property
     * the subscriptions' filters read, and the published entry's Properties.lane), while another tenant's stay in
     * the standard lane.
     */
    @Test
    void aTenantOverItsFairShareIsPublishedInTheBulkLaneAndAnotherTenantIsNot() throws Exception {
        InMemoryLogSink sink = new InMemoryLogSink();
        AlertIntake fair = AlertIntake.builder().tokens(tokens).publisher(bus).claimCheckStore(store)
                .fairShare(new FairShare(java.time.Duration.ofMinutes(1), 2)).build();
        PipelineLog log = PipelineLog.of(sink, Redaction.patternsOnly(), java.time.Clock.systemUTC());
        for (String fixture : List.of("test-metric-static.json", "test-log-v2.json", "test-log-v1-number-of-results.json")) {
            assertThat(fair.handle(request(Fixtures.bytes(fixture)), log.forInvocation("AlertWebhook", "i", null))
                    .status()).isEqualTo(202);
        }
        String quietToken = tokens.tokenFor("fabrikam");
        assertThat(fair.handle(new IntakeRequest("fabrikam", quietToken, "application/json",
                Fixtures.bytes("test-metric-static.json"))).status()).isEqualTo(202);

        assertThat(bus.published()).extracting(m -> m.properties().get("tenant") + ":" + m.properties().get("lane"))
                .containsExactly("contoso:standard", "contoso:standard", "contoso:bulk", "fabrikam:standard");
        assertThat(sink.entries()).filteredOn(e -> e.stage() == Stage.PUBLISHED)
                .extracting(e -> e.properties().get(io.alertrelay.logging.entry.LogProperty.LANE))
                .containsExactly("standard", "standard", "bulk");
    }

    @Test
    void tenantOutsideTheAllowedAlphabetIsA400ProblemBeforeAnyTokenCheck() throws Exception {
        IntakeResponse r = intake.handle(new IntakeRequest("Contoso_Prod", token, "application/json", "{}".getBytes()));
        assertProblem(r, 400, "invalid-tenant");
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void missingAndWrongTokensGetTheSame401() {
        IntakeResponse missing = intake.handle(new IntakeRequest(TENANT, null, "application/json", "{}".getBytes()));
        IntakeResponse wrong = intake.handle(new IntakeRequest(TENANT, "nope", "application/json", "{}".getBytes()));
        IntakeResponse otherTenant = intake.handle(new IntakeRequest(TENANT, tokens.tokenFor("fabrikam"), null, "{}".getBytes()));

        assertThat(missing.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(missing.body());
        assertThat(otherTenant.body()).isEqualTo(missing.body());
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void nonJsonContentTypeIsA415ButJsonWithCharsetOrNoContentTypeIsAccepted() throws Exception {
        byte[] body = Fixtures.bytes("test-metric-static.json");
        assertProblem(intake.handle(new IntakeRequest(TENANT, token, "text/plain", body)), 415, "unsupported-media-type");
        assertThat(intake.handle(new IntakeRequest(TENANT, token, "application/json; charset=utf-8", body)).status()).isEqualTo(202);
        assertThat(intake.handle(new IntakeRequest(TENANT, token, null, body)).status()).isEqualTo(202);
    }

    @Test
    void bodyOverMaxBodyBytesIsA413() throws Exception {
        AlertIntake small = AlertIntake.builder().tokens(tokens).publisher(bus).maxBodyBytes(100).build();
        assertProblem(small.handle(request(Fixtures.bytes("test-metric-static.json"))), 413, "payload-too-large");
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void emptyBodyIsA400ThatSaysSo() throws Exception {
        JsonNode p = assertProblem(intake.handle(request(new byte[0])), 400, "invalid-body");
        assertThat(p.path("detail").asText()).containsIgnoringCase("empty");
    }

    @Test
    void publishedInvalidJsonIsA400NamingLineAndColumn() throws Exception {
        JsonNode p = assertProblem(intake.handle(request(Fixtures.bytes("legacy-activitylog-common-skeleton.json"))),
                400, "invalid-body");
        assertThat(p.path("line").asInt()).isPositive();
        assertThat(p.path("column").asInt()).isPositive();
        assertThat(p.path("detail").asText()).contains("line " + p.path("line").asInt());
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void jsonThatIsNotAnObjectIsA400() throws Exception {
        assertProblem(intake.handle(request("[1,2]".getBytes())), 400, "invalid-body");
    }

    @Test
    void busFailureIsA503WithRetryAfterNeverA500() throws Exception {
        bus.failWith(RecordingPublisher.unreachable());
        IntakeResponse r = intake.handle(request(Fixtures.bytes("test-metric-static.json")));
        assertProblem(r, 503, "unavailable");
        assertThat(r.header("Retry-After")).isEqualTo(AlertIntake.RETRY_AFTER_SECONDS);
        assertThat(r.failure()).isNotNull();
    }

    @Test
    void anyUnexpectedFailureAfterAValidPayloadIsAlsoA503() throws Exception {
        bus.failWith(new NullPointerException("a bug"));
        assertProblem(intake.handle(request(Fixtures.bytes("test-metric-static.json"))), 503, "unavailable");
    }

    @Test
    void notificationTooLargeForAMessageIsClaimCheckedThroughTheStoreFirst() throws Exception {
        byte[] big = withPadding(Fixtures.bytes("test-metric-static.json"), 300 * 1024);
        IntakeResponse r = intake.handle(request(big));

        assertThat(r.status()).isEqualTo(202);
        AlertMessage m = bus.published().get(0);
        assertThat(m.body().length).isLessThan(240 * 1024);
        assertThat(m.properties()).containsEntry(ClaimCheck.PROPERTY, "true");
        var event = PlatformEventCodec.fromJson(m.body());
        assertThat(ClaimCheck.referencedEventId(event.data().payload())).contains(m.messageId());
        assertThat(store.get(TENANT, m.messageId())).hasValueSatisfying(p -> assertThat(p).isEqualTo(big));
    }

    @Test
    void notificationTooLargeForAMessageWithoutAStoreIsA413() throws Exception {
        AlertIntake noStore = AlertIntake.builder().tokens(tokens).publisher(bus).build();
        byte[] big = withPadding(Fixtures.bytes("test-metric-static.json"), 300 * 1024);
        assertProblem(noStore.handle(request(big)), 413, "payload-too-large");
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void acceptedRejectedAndRetriedRequestsAreLoggedWithTheirStageAndNoToken() {
        InMemoryLogSink sink = new InMemoryLogSink();
        PipelineLog log = PipelineLog.of(sink, Redaction.of(List.of(token, "test-key")));
        java.util.logging.Logger logger = java.util.logging.Logger.getAnonymousLogger();

        IntakeResponse ok = intake.handle(request(Fixtures.bytes("test-metric-static.json")), log.forInvocation("AlertWebhook", "1", logger));
        intake.handle(new IntakeRequest(TENANT, "wrong", null, "{}".getBytes()), log.forInvocation("AlertWebhook", "2", logger));
        bus.failWith(RecordingPublisher.unreachable());
        intake.handle(request(Fixtures.bytes("test-metric-static.json")), log.forInvocation("AlertWebhook", "3", logger));

        assertThat(sink.entries()).extracting(LogEntry::stage).containsExactly(Stage.RECEIVED, Stage.PUBLISHED,
                Stage.RECEIVED, Stage.REJECTED, Stage.RECEIVED, Stage.RETRIED);
        assertThat(sink.entries().get(1).toRow()).containsEntry("EventId", ok.event().id()).containsEntry("Tenant", TENANT);
        assertThat(sink.entries()).allSatisfy(e -> assertThat(e.toRow().toString()).doesNotContain(token, "test-key"));
    }

    private IntakeRequest request(byte[] body) {
        return new IntakeRequest(TENANT, token, "application/json", body);
    }

    /** The same notification with a large custom property, as a chatty alert rule could send. */
    private static byte[] withPadding(byte[] fixture, int bytes) throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(fixture);
        node.withObject("/data").withObject("/customProperties").put("padding", "x".repeat(bytes));
        return JSON.writeValueAsBytes(node);
    }

    private static JsonNode assertProblem(IntakeResponse r, int status, String kind) throws Exception {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode p = JSON.readTree(r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).endsWith("/" + kind);
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }
}
