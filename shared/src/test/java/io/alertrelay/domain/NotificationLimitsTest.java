package io.alertrelay.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.domain.InvalidNotificationException.Kind;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.testing.HostileInputs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, points 2 and 3: a notification is read within limits (nesting depth, number length) chosen so that
 * whatever is accepted can be written again inside its event and read back, and whatever is beyond them is refused
 * at once, naming the problem — never accepted and then unwritable (depth 998 answered 503 for ever) or parsed for
 * seconds (a 400,000-digit capacity took over 3 s).
 */
class NotificationLimitsTest {

    private static final int LIMIT = Json.MAX_NOTIFICATION_DEPTH;
    private final AlertNormaliser normaliser = new AlertNormaliser();

    @Test
    void theReadLimitLeavesRoomForTheEventsWrappingUnderTheWriteLimit() {
        // data.payload adds 2 levels, an embedded document under data.health 3: far less than the room left
        assertThat(Json.MAX_DEPTH - LIMIT).isGreaterThan(100);
        assertThat(Json.MAX_WRITTEN_NUMBER_LENGTH).isGreaterThan(Json.MAX_NUMBER_LENGTH + 16);
    }

    @Test
    void aNotificationNestedAsDeepAsTheLimitIsAcceptedAndItsEventWrittenAndReadBackExactly() {
        // the body is level 1, data 2, customProperties 3: the arrays inside fill the rest
        byte[] known = HostileInputs.commonWithRaw("customProperties", HostileInputs.nestedArrays(LIMIT - 2));
        byte[] unknown = HostileInputs.nestedObjects(LIMIT);

        for (byte[] body : new byte[][] {known, unknown}) {
            PlatformEvent event = normaliser.normalise("contoso", body);
            byte[] written = PlatformEventCodec.toJson(event);
            assertThat(PlatformEventCodec.fromJson(written)).isEqualTo(event);
            assertThat(PlatformEventCodec.toJson(ClaimCheck.withReference(event))).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {LIMIT + 1, 998, 1000, 1001, 500_000})
    void nestingBeyondTheLimitIsRefusedNamingTheLimitAndWhereItWasPassed(int depth) {
        byte[] inKnownShape = HostileInputs.commonWithRaw("customProperties", HostileInputs.nestedArrays(depth - 2));
        byte[] inUnknownShape = HostileInputs.nestedObjects(depth);

        for (byte[] body : new byte[][] {inKnownShape, inUnknownShape}) {
            assertThatThrownBy(() -> normaliser.normalise("contoso", body))
                    .isInstanceOfSatisfying(InvalidNotificationException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NESTING_TOO_DEEP);
                        assertThat(e.limit()).isEqualTo(LIMIT);
                        assertThat(e.line()).isEqualTo(1);
                        assertThat(e.column()).isPositive();
                        assertThat(e.getMessage()).isEqualTo("The request body nests objects and arrays more than "
                                + LIMIT + " levels deep (line 1, column " + e.column() + "); at most " + LIMIT
                                + " levels are accepted.");
                    });
        }
    }

    @Test
    void aNumberAsLongAsTheLimitIsAcceptedAndItsEventReadBackExactly() {
        String digits = "9".repeat(Json.MAX_NUMBER_LENGTH);
        // 997 digits and an exponent: Java writes it back three characters longer (1.99…9E+999)
        String longerWhenWritten = "1" + "9".repeat(Json.MAX_NUMBER_LENGTH - 4) + "E3";

        for (String number : new String[] {digits, longerWhenWritten}) {
            PlatformEvent event = normaliser.normalise("contoso",
                    ("{\"custom\": " + number + "}").getBytes(StandardCharsets.UTF_8));
            assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(event))).isEqualTo(event);
        }
        PlatformEvent scaled = normaliser.normalise("contoso", HostileInputs.autoscaleWith(digits, true));
        assertThat(scaled.data().scale().newCapacity()).as("too large for a capacity, so unknown").isNull();
    }

    @ParameterizedTest(name = "as a string: {0}")
    @ValueSource(booleans = {true, false})
    void aLongerNumberIsRefusedWhetherSpelledAsANumberOrAsAString(boolean asString) {
        for (int length : new int[] {Json.MAX_NUMBER_LENGTH + 1, 400_000}) {
            byte[] body = HostileInputs.autoscaleWith("9".repeat(length), asString);
            assertThatThrownBy(() -> normaliser.normalise("contoso", body))
                    .isInstanceOfSatisfying(InvalidNotificationException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NUMBER_TOO_LONG);
                        assertThat(e.limit()).isEqualTo(Json.MAX_NUMBER_LENGTH);
                        if (asString) {
                            assertThat(e.field()).isEqualTo("newCapacity");
                            assertThat(e.getMessage()).isEqualTo("The field 'newCapacity' holds a number of "
                                    + length + " characters; at most 1000 are accepted.");
                        } else {
                            assertThat(e.line()).isPositive();
                            assertThat(e.getMessage()).startsWith("The request body holds a number longer than 1000"
                                    + " characters (line ").endsWith("; at most 1000 are accepted.");
                        }
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e9999999999", "-1E+2147483648", "1e-9999999999", "0.5E-2147483649"})
    void aNumberWhoseExponentNoDecimalCanHoldIsRefusedNamingWhereNeverThrownAsAFailure(String number) {
        // found by FuzzedWebhookTest: Jackson's NumberFormatException escaped the webhook, which answered 503
        for (String body : new String[] {number, "{\"custom\": [1, " + number + "]}"}) {
            assertThatThrownBy(() -> normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(InvalidNotificationException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NUMBER_OUT_OF_RANGE);
                        assertThat(e.line()).isEqualTo(1);
                        assertThat(e.getMessage()).startsWith("The request body holds a number whose exponent is"
                                + " out of range (line 1, column ");
                    });
        }
    }

    @Test
    void aNumberWithTheLargestExponentADecimalHoldsIsAcceptedAndReadsBackExactly() {
        for (String number : new String[] {"1e2147483647", "1e-2147483647", "-9.99E+999999999"}) {
            PlatformEvent event = normaliser.normalise("contoso",
                    ("{\"custom\": " + number + "}").getBytes(StandardCharsets.UTF_8));
            assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(event))).isEqualTo(event);
        }
    }

    @Test
    void aLongStringThatIsNoNumberInANumericFieldIsUnknownNotRefused() {
        PlatformEvent event = normaliser.normalise("contoso", HostileInputs.autoscaleWith("x".repeat(400_000), true));

        assertThat(event.data().schema()).isEqualTo("autoscale");
        assertThat(event.data().scale().newCapacity()).isNull();
    }

    @Test
    void anAmountTooLargeForADoubleIsUnknownNotInfinite() {
        byte[] budget = Fixtures.bytes("legacy-budget.json");
        String text = new String(budget, StandardCharsets.UTF_8);
        String huge = text.replaceFirst("\"Budget\"\\s*:\\s*\"?[0-9.]+\"?", "\"Budget\": 1e400");
        assertThat(huge).isNotEqualTo(text);

        PlatformEvent event = normaliser.normalise("contoso", huge.getBytes(StandardCharsets.UTF_8));

        assertThat(event.data().budget().amount()).isNull();
        assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(event))).isEqualTo(event);
    }

    @Test
    void jsonEmbeddedInAStringIsReadWithinTheSameLimitsOrNotAtAll() {
        assertThat(Json.parseEmbedded(HostileInputs.nestedArrays(LIMIT))).isNotNull();
        assertThat(Json.parseEmbedded(HostileInputs.nestedArrays(LIMIT + 1))).isNull();
        assertThat(Json.parseEmbedded("[" + "9".repeat(Json.MAX_NUMBER_LENGTH + 1) + "]")).isNull();
        assertThat(Json.parseEmbedded("[1] [2]")).isNull();
        // found by fuzzing the schema readers: Jackson's NumberFormatException escaped, and Service Health was
        // read as custom
        assertThat(Json.parseEmbedded("1e9999999999")).isNull();
        assertThat(Json.parseEmbedded("[1e9999999999]")).isNull();
    }

    @Test
    void aServiceHealthAlertWhoseImpactedServicesStringHoldsAnImpossibleNumberKeepsItsSchema() {
        String body = new String(Fixtures.bytes("test-service-health.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"impactedServices\": \\[", "\"impactedServices\": \"1e9999999999\", \"was\": [");

        PlatformEvent event = normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8));

        assertThat(event.data().schema()).isEqualTo("common");
        assertThat(event.data().health()).isNotNull();
    }
}
