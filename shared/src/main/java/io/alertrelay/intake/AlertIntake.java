package io.alertrelay.intake;

import io.alertrelay.domain.AlertMessages;
import io.alertrelay.domain.Lane;

import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.InvalidNotificationException;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.http.Problem;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.PayloadStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook's use case (DESIGN §1, §5): authenticate the tenant, check and parse the body, normalise it, and make
 * it durable on the bus. Answers 202 only once the bus acknowledged the message.
 *
 * <p>Azure Monitor retries only on 408, 429, 503, 504 and timeouts, and pauses an action group for 15 minutes after a
 * failed series. So bad input gets a 4xx with a problem+json body, and every failure that could be transient gets 503
 * with Retry-After — never 500.
 */
public final class AlertIntake {

    static final String RETRY_AFTER_SECONDS = "10";

    private final TenantTokens tokens;
    private final AlertNormaliser normaliser;
    private final AlertPublisher publisher;
    private final Optional<PayloadStore> claimCheckStore;
    private final FairShare fairShare;
    private final long maxBodyBytes;
    private final long maxMessageBytes;

    private AlertIntake(Builder b) {
        tokens = Objects.requireNonNull(b.tokens, "tokens");
        publisher = Objects.requireNonNull(b.publisher, "publisher");
        normaliser = b.normaliser;
        claimCheckStore = Optional.ofNullable(b.claimCheckStore);
        fairShare = Objects.requireNonNull(b.fairShare, "fairShare");
        maxBodyBytes = b.maxBodyBytes;
        maxMessageBytes = b.maxMessageBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles a request and logs nothing (unit tests, benchmarks). */
    public IntakeResponse handle(IntakeRequest request) {
        return handle(request, PipelineLog.discard("AlertWebhook"));
    }

    /** Handles a request, writing the received, published, rejected or retried stage to {@code log}. */
    public IntakeResponse handle(IntakeRequest request, InvocationLog log) {
        InvocationLog tenantLog = log.tenant(TenantTokens.isValidTenant(request.tenant()) ? request.tenant() : null);
        tenantLog.at(Stage.RECEIVED).property(LogProperty.BODY_BYTES, request.body().length)
                .property(LogProperty.CONTENT_TYPE, request.contentType()).log("notification received");
        IntakeResponse response = decide(request);
        if (response.status() == 202) {
            tenantLog.event(response.event()).at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202)
                    .property(LogProperty.LANE, response.lane().value()).log("alert made durable on the bus");
        } else if (response.status() == 503) {
            tenantLog.at(Stage.RETRIED).property(LogProperty.HTTP_STATUS, 503).error(response.failure())
                    .log("alert not made durable; Azure Monitor retries on 503");
        } else {
            tenantLog.at(Stage.REJECTED).property(LogProperty.HTTP_STATUS, response.status())
                    .property(LogProperty.REASON, response.reason()).log("notification rejected");
        }
        return response;
    }

    private IntakeResponse decide(IntakeRequest request) {
        if (!TenantTokens.isValidTenant(request.tenant())) {
            return problem(Problem.of("invalid-tenant", "Invalid tenant", 400,
                    "the tenant in the URL must match [a-z0-9][a-z0-9-]{0,62}"));
        }
        if (!tokens.verify(request.tenant(), request.token())) {
            // One answer for a missing, malformed or wrong token: nothing to learn from the difference.
            return problem(Problem.of("unauthorized", "Unauthorized", 401,
                    "a valid token query parameter is required for this tenant"));
        }
        if (!isJson(request.contentType())) {
            return problem(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "the body must be JSON (application/json)").with("contentType", request.contentType()));
        }
        if (request.body().length > maxBodyBytes) {
            return problem(Problem.of("payload-too-large", "Payload too large", 413,
                    "the body is " + request.body().length + " bytes; at most " + maxBodyBytes + " are accepted")
                    .with("maxBytes", maxBodyBytes));
        }
        PlatformEvent event;
        try {
            event = normaliser.normalise(request.tenant(), request.body());
        } catch (InvalidNotificationException e) {
            return problem(invalidBody(e));
        }
        return publish(event, request.body());
    }

    /**
     * Sends the event in its tenant's lane ({@link FairShare}); when its message is too large, stores the original
     * payload first and sends the event with a reference instead (claim-check, DESIGN §6). Sizes are checked before
     * anything is stored: an event too large even with a reference gets its 413 and leaves nothing behind in the
     * store.
     */
    private IntakeResponse publish(PlatformEvent event, byte[] originalBody) {
        try {
            Lane lane = fairShare.laneFor(event.tenant());
            AlertMessage message = AlertMessages.of(event, PlatformEventCodec.toJson(event), false, lane);
            if (AlertMessages.size(message) > maxMessageBytes) {
                if (claimCheckStore.isEmpty()) {
                    return problem(Problem.of("payload-too-large", "Payload too large", 413,
                            "the notification is too large for a message and no claim-check store is configured")
                            .with("maxBytes", maxMessageBytes));
                }
                AlertMessage withReference = AlertMessages.of(event,
                        PlatformEventCodec.toJson(ClaimCheck.withReference(event)), true, lane);
                long size = AlertMessages.size(withReference);
                if (size > maxMessageBytes) {
                    return tooLargeEvenClaimChecked(event, size);
                }
                claimCheckStore.get().put(event.tenant(), event.id(), originalBody);
                message = withReference;
            }
            publisher.publish(message);
            return accepted(event, lane);
        } catch (RuntimeException e) {
            // The payload was valid: whatever failed now may pass on Azure Monitor's retry.
            return unavailable(e);
        }
    }

    /** 413 naming the normalised field that makes the message too large even without its payload. */
    private IntakeResponse tooLargeEvenClaimChecked(PlatformEvent event, long size) {
        Map.Entry<String, Long> field = AlertMessages.largestField(event);
        return problem(Problem.of("payload-too-large", "Payload too large", 413,
                "the notification's " + field.getKey() + " is " + field.getValue() + " bytes once normalised; even"
                        + " with the payload stored apart its message would be " + size + " bytes, over the limit of "
                        + maxMessageBytes)
                .with("field", field.getKey()).with("maxBytes", maxMessageBytes));
    }

    /**
     * 400 problem+json: {@code invalid-body} (empty, not JSON, not an object), {@code nesting-too-deep},
     * {@code number-too-long} or {@code number-out-of-range}, with {@code line} and {@code column} where the problem has a place in the body,
     * {@code field} where it is one field's, and {@code limit} for a limit.
     */
    private static Problem invalidBody(InvalidNotificationException e) {
        Problem p = switch (e.kind()) {
            case NESTING_TOO_DEEP -> Problem.of("nesting-too-deep", "Notification nested too deeply", 400,
                    e.getMessage());
            case NUMBER_TOO_LONG -> Problem.of("number-too-long", "Number too long", 400, e.getMessage());
            case NUMBER_OUT_OF_RANGE -> Problem.of("number-out-of-range", "Number out of range", 400,
                    e.getMessage());
            case MALFORMED -> Problem.of("invalid-body", "Invalid notification body", 400, e.getMessage());
        };
        if (e.line() != null) {
            p = p.with("line", e.line()).with("column", e.column());
        }
        if (e.field() != null) {
            p = p.with("field", e.field());
        }
        if (e.limit() != null) {
            p = p.with("limit", e.limit());
        }
        return p;
    }

    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true; // Content-Type is optional; the body is then judged by parsing it.
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static IntakeResponse accepted(PlatformEvent event, Lane lane) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type().value());
        return new IntakeResponse(202, Map.of("Content-Type", "application/json"), write(body), event, null, null,
                lane);
    }

    private static IntakeResponse unavailable(RuntimeException cause) {
        Problem p = Problem.of("unavailable", "Service unavailable", 503,
                "the alert could not be made durable; retry later");
        return new IntakeResponse(503, Map.of("Content-Type", Problem.CONTENT_TYPE, "Retry-After", RETRY_AFTER_SECONDS),
                write(p.members()), null, p.title(), cause, null);
    }

    private static IntakeResponse problem(Problem p) {
        return new IntakeResponse(p.status(), Map.of("Content-Type", Problem.CONTENT_TYPE), write(p.members()), null,
                p.title(), null, null);
    }

    private static String write(Object value) {
        return Json.write(value);
    }

    /** Builds an {@link AlertIntake}; the claim-check store is optional. */
    public static final class Builder {
        private TenantTokens tokens;
        private AlertNormaliser normaliser = new AlertNormaliser();
        private AlertPublisher publisher;
        private PayloadStore claimCheckStore;
        private FairShare fairShare = FairShare.withDefaults();
        private long maxBodyBytes = 1024 * 1024;
        private long maxMessageBytes = 240 * 1024;

        public Builder tokens(TenantTokens tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder publisher(AlertPublisher publisher) {
            this.publisher = publisher;
            return this;
        }

        /** Where notifications too large for a message are put (claim-check); none: they are refused with 413. */
        public Builder claimCheckStore(PayloadStore store) {
            this.claimCheckStore = store;
            return this;
        }

        /** Which lane each tenant's alerts take (default: {@link FairShare#withDefaults()}). */
        public Builder fairShare(FairShare fairShare) {
            this.fairShare = fairShare;
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder maxMessageBytes(long maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        public AlertIntake build() {
            return new AlertIntake(this);
        }
    }
}
