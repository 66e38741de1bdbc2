package io.alertrelay.port;

import io.alertrelay.domain.DeliveryOutcome;

/**
 * Delivers a platform event to the platform endpoint (DESIGN §3), signed, with Idempotency-Key = event id. Makes
 * its own bounded retries of transient failures within one call and reports the final outcome; never throws for
 * an HTTP or network failure.
 */
public interface PlatformClient {

    DeliveryOutcome deliver(String eventId, byte[] cloudEventJson);
}
