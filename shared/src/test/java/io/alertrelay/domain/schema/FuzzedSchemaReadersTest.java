package io.alertrelay.domain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.InvalidNotificationException;
import io.alertrelay.domain.NotificationBody;
import io.alertrelay.testing.Fuzz;
import io.alertrelay.testing.FuzzedNotifications;
import org.junit.jupiter.api.Test;

/**
 * The schema readers never throw on what they recognise (their contract, {@link NotificationSchema#read}), but to
 * refuse a number too long. The
 * webhook would not show it — {@link Schemas#read} falls back to reading such a notification as {@code custom}, so
 * it is still delivered — but the alert would lose its normalised fields. Fed the same fuzzed notifications as the
 * webhook (issue 12, point 11), {@code fuzz.tries} of them; a failure names its seed and try ({@link Fuzz}), and is
 * not shrunk.
 */
class FuzzedSchemaReadersTest {

    @Test
    void everyReaderReadsWhatItRecognisesWithoutFallingBackToCustom() {
        Fuzz.forAll(FuzzedNotifications.requests(), FuzzedSchemaReadersTest::check);
    }

    private static void check(FuzzedNotifications.Request request) {
        ObjectNode body;
        try {
            body = NotificationBody.parse(request.body());
        } catch (InvalidNotificationException notAnObject) {
            Fuzz.collect("schema", "(refused)");
            return;
        }
        NotificationSchema schema = Schemas.KNOWN.stream().filter(s -> s.recognises(body)).findFirst().orElse(null);
        Fuzz.collect("schema", schema == null ? "custom" : schema.getClass().getSimpleName());
        if (schema == null) {
            return;
        }
        try {
            schema.read(body).toParsed();
        } catch (InvalidNotificationException e) {
            // the one refusal a reader may make: a number too long, however it is spelled
            assertThat(e.kind()).isEqualTo(InvalidNotificationException.Kind.NUMBER_TOO_LONG);
            Fuzz.collect("schema", "(number too long)");
        }
    }
}
