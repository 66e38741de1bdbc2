package io.alertrelay.functions;

import io.alertrelay.domain.AlertMessages;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.schema.AlertNormaliser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Runs the code every alert runs — parse, normalise, encode the CloudEvent, make the message, decode it — once on a
 * bundled sample (Microsoft's "Metric alert - Static threshold" test payload,
 * https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-payload-samples), so that loading and initialising
 * those classes (Jackson's above all) happens at worker start, not in the first request.
 */
final class CodecWarmUp {

    static final String SAMPLE = "/warmup/common-metric-alert.json";
    private static final String TENANT = "alertrelay-warmup";

    private CodecWarmUp() {
    }

    /** @return the id of the event made from the sample */
    static String exercise() {
        PlatformEvent event = new AlertNormaliser().normalise(TENANT, sample());
        byte[] json = PlatformEventCodec.toJson(event);
        AlertMessages.of(event, json, false);
        return PlatformEventCodec.fromJson(json).id();
    }

    private static byte[] sample() {
        try (InputStream in = CodecWarmUp.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " is not in the package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
