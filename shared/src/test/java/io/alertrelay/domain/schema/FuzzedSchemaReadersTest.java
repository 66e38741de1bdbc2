package io.alertrelay.domain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.InvalidNotificationException;
import io.alertrelay.domain.NotificationBody;
import io.alertrelay.testing.FuzzedNotifications;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The schema readers never throw on what they recognise (their contract, {@link NotificationSchema#read}), but to
 * refuse a number too long. The
 * webhook would not show it — {@link Schemas#read} falls back to reading such a notification as {@code custom}, so
 * it is still delivered — but the alert would lose its normalised fields. Fed the same fuzzed notifications as the
 * webhook (issue 12, point 11).
 */
class FuzzedSchemaReadersTest {

    @Provide
    Arbitrary<FuzzedNotifications.Request> requests() {
        return FuzzedNotifications.requests();
    }

    @Property
    void everyReaderReadsWhatItRecognisesWithoutFallingBackToCustom(
            @ForAll("requests") FuzzedNotifications.Request request) {
        ObjectNode body;
        try {
            body = NotificationBody.parse(request.body());
        } catch (InvalidNotificationException notAnObject) {
            Statistics.label("schema").collect("(refused)");
            return;
        }
        NotificationSchema schema = Schemas.KNOWN.stream().filter(s -> s.recognises(body)).findFirst().orElse(null);
        Statistics.label("schema").collect(schema == null ? "custom" : schema.getClass().getSimpleName());
        if (schema == null) {
            return;
        }
        try {
            schema.read(body).toParsed();
        } catch (InvalidNotificationException e) {
            // the one refusal a reader may make: a number too long, however it is spelled
            assertThat(e.kind()).isEqualTo(InvalidNotificationException.Kind.NUMBER_TOO_LONG);
            Statistics.label("schema").collect("(number too long)");
        }
    }
}
