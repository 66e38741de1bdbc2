package io.alertrelay.intake;

import io.alertrelay.domain.AlertMessages;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fuzz;
import io.alertrelay.testing.FuzzedNotifications;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.RecordingPublisher;
import io.alertrelay.testing.WebhookAnswers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 11, at the webhook's use case: {@link AlertIntake} with an in-memory bus and claim-check store,
 * fed mutations of Microsoft's fixtures ({@link FuzzedNotifications}). How many tries: {@code fuzz.tries} (2,000 in
 * {@code mvn verify}, 100,000 with {@code -Plong}); a failure names its seed and try ({@link Fuzz}), and is not shrunk.
 */
class FuzzedWebhookTest {

    private static final String TENANT = "contoso";
    private static final long MAX_MESSAGE_BYTES = 240 * 1024;

    private final TenantTokens tokens = new TenantTokens(List.of(new Secret("fuzz-key")));
    private final String token = tokens.tokenFor(TENANT);

    @Test
    void everyNotificationGetsA202OrANamedProblemNeverA500Or503AndEveryAcceptedEventReadsBackExactly() {
        Fuzz.forAll(FuzzedNotifications.requests(), this::check);
    }

    private void check(FuzzedNotifications.Request request) {
        RecordingPublisher bus = new RecordingPublisher();
        InMemoryStore store = new InMemoryStore();
        AlertIntake intake = AlertIntake.builder().tokens(tokens).publisher(bus).claimCheckStore(store).build();

        IntakeResponse r = intake.handle(new IntakeRequest(TENANT, token, request.contentType(), request.body()));

        Fuzz.collect("status", r.status());
        assertThat(r.status()).as("the bus and the store refused nothing").isIn(202, 400, 413, 415);
        if (r.status() == 202) {
            assertAcceptedEventReadsBackExactly(r, bus, store, request.body());
        } else {
            String type = WebhookAnswers.assertNamedProblem(r.status(), r.header("Content-Type"), r.body());
            Fuzz.collect("problem", type);
            assertThat(bus.published()).isEmpty();
        }
    }

    /** The message on the bus reads back as the accepted event, and writes again to the very same bytes. */
    private static void assertAcceptedEventReadsBackExactly(IntakeResponse r, RecordingPublisher bus,
                                                            InMemoryStore store, byte[] posted) {
        PlatformEvent event = r.event();
        assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(event))).isEqualTo(event);
        assertThat(bus.published()).hasSize(1);
        AlertMessage m = bus.published().get(0);
        assertThat(m.messageId()).isEqualTo(event.id());
        assertThat(AlertMessages.size(m)).isLessThanOrEqualTo(MAX_MESSAGE_BYTES);
        boolean claimChecked = "true".equals(m.properties().get(ClaimCheck.PROPERTY));
        Fuzz.collect("claim-checked", claimChecked);

        PlatformEvent delivered = WebhookAnswers.assertMessageReadsBackExactly(event.id(), m.body(), claimChecked,
                store, posted);
        assertThat(delivered).isEqualTo(event);
        if (!claimChecked) {
            assertThat(store.get(event.tenant(), event.id())).isEmpty();
        }
    }
}
