package io.alertrelay.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.Json;
import io.alertrelay.http.HttpAnswer;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.port.DeadLetters;
import io.alertrelay.testing.FailingStore;
import io.alertrelay.testing.InMemoryLogSink;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.RecordingPublisher;
import io.alertrelay.logging.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** What {@code POST /api/replay} answers: 200 with the page, 400 naming the field, 413, 503 with Retry-After. */
class ReplayEndpointTest {

    private static final DeadLetters NO_DEAD_LETTERS = new DeadLetters() {
        @Override
        public int remove(Collection<String> eventIds) {
            return 0;
        }

        @Override
        public int count(int upTo) {
            return 0;
        }

        @Override
        public java.util.List<String> eventIds(int upTo) {
            return java.util.List.of();
        }
    };

    private final InMemoryStore store = new InMemoryStore();
    private final ReplayEndpoint endpoint = new ReplayEndpoint(new Replay(store, store, store, store,
            new RecordingPublisher(), NO_DEAD_LETTERS, 256 * 1024));

    @Test
    void aFilterIsAnsweredWithTheCountTheIdsAndNoContinuationOnTheLastPage() {
        HttpAnswer answer = handle("{\"tenant\":\"contoso\",\"dryRun\":true}");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = Json.readTree(answer.body());
        assertThat(body.path("count").asInt()).isZero();
        assertThat(body.path("ids").isArray()).isTrue();
        assertThat(body.path("dryRun").asBoolean()).isTrue();
        assertThat(body.path("replayId").asText()).isNotEmpty();
        assertThat(body.path("continuation").isNull()).isTrue();
    }

    @Test
    void aBadFilterIsAProblemNamingTheField() {
        HttpAnswer answer = handle("{\"status\":\"lost\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/problem+json");
        JsonNode body = Json.readTree(answer.body());
        assertThat(body.path("field").asText()).isEqualTo("status");
        assertThat(body.path("detail").asText()).contains("lost");
    }

    @Test
    void anOversizedRequestIsRefusedBeforeItIsRead() {
        HttpAnswer answer = handle("{\"ids\":[\"" + "a".repeat(ReplayEndpoint.MAX_BODY_BYTES) + "\"]}");

        assertThat(answer.status()).isEqualTo(413);
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsRefusedAsABrowserFormCouldSendIt() {
        HttpAnswer answer = endpoint.handle("text/plain", "{}".getBytes(StandardCharsets.UTF_8),
                PipelineLog.of(new InMemoryLogSink(), Redaction.patternsOnly()).forInvocation("Replay", "i",
                        Logger.getAnonymousLogger()));

        assertThat(answer.status()).isEqualTo(415);
    }

    @Test
    void aStoreThatCannotBeReadIsA503TheCallerMayRetry() {
        FailingStore failing = FailingStore.unavailable();
        ReplayEndpoint broken = new ReplayEndpoint(new Replay(failing, failing.search(), failing.registry(), failing,
                new RecordingPublisher(), NO_DEAD_LETTERS, 256 * 1024));

        HttpAnswer answer = broken.handle("application/json", "{\"tenant\":\"contoso\"}".getBytes(StandardCharsets.UTF_8),
                PipelineLog.of(new InMemoryLogSink(), Redaction.patternsOnly()).forInvocation("Replay", "i",
                        Logger.getAnonymousLogger()));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsKey("Retry-After");
    }

    private HttpAnswer handle(String body) {
        return endpoint.handle("application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), PipelineLog.of(new InMemoryLogSink(),
                Redaction.patternsOnly()).forInvocation("Replay", "i", Logger.getAnonymousLogger()));
    }
}
