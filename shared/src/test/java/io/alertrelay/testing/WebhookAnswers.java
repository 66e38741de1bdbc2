package io.alertrelay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.port.PayloadStore;
import java.io.IOException;

/**
 * What every answer of the webhook must be, for the property-based tests (issue 12, point 11): a 4xx is a
 * problem+json naming the problem; a 202 leaves a message that reads back as an event, which writes again to the
 * very same bytes, and whose claim-checked payload, if any, is in the store as it was posted.
 */
public final class WebhookAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookAnswers() {
    }

    /** A problem+json body naming the problem: type, title, status and detail; returns the type's last segment. */
    public static String assertNamedProblem(int status, String contentType, String body) {
        assertThat(status).isBetween(400, 499);
        assertThat(contentType).isEqualTo("application/problem+json");
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("the problem is not JSON: " + body, e);
        }
        String type = problem.path("type").asText();
        assertThat(type).startsWith("https://alertrelay.io/problems/");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    /**
     * The message body of a 202 reads back as an event that writes again to the same bytes; a claim-checked one
     * refers to its own event, its payload is in the store byte for byte as posted, and the event with the payload
     * restored (as the dequeuer restores it) writes and reads back exactly too.
     *
     * @return the event as the platform will receive it (payload restored)
     */
    public static PlatformEvent assertMessageReadsBackExactly(String eventId, byte[] messageBody, boolean claimChecked,
                                                              PayloadStore store, byte[] posted) {
        PlatformEvent read = PlatformEventCodec.fromJson(messageBody);
        assertThat(read.id()).isEqualTo(eventId);
        assertThat(PlatformEventCodec.toJson(read)).isEqualTo(messageBody);
        if (!claimChecked) {
            assertThat(ClaimCheck.referencedEventId(read.data().payload())).isEmpty();
            return read;
        }
        assertThat(ClaimCheck.referencedEventId(read.data().payload())).contains(eventId);
        byte[] stored = store.get(read.tenant(), eventId).orElseThrow(() -> new AssertionError("payload not stored"));
        assertThat(stored).isEqualTo(posted);
        PlatformEvent whole = ClaimCheck.withPayload(read, Json.readTree(stored));
        assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(whole))).isEqualTo(whole);
        return whole;
    }
}
