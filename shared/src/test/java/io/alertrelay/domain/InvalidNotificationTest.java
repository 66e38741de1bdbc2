package io.alertrelay.domain;

import io.alertrelay.domain.schema.AlertNormaliser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bodies that are not a notification get a clear error the webhook can show (DESIGN §5); objects are never refused. */
class InvalidNotificationTest {

    private final AlertNormaliser normaliser = new AlertNormaliser();

    @Test
    void publishedInvalidJsonIsRejectedNamingItsLineAndColumn() {
        // the published activity-log "Common" sample has a literal '...' line: line 19, column 17
        assertThatThrownBy(() -> normaliser.normalise("contoso", Fixtures.bytes("legacy-activitylog-common-skeleton.json")))
                .isInstanceOfSatisfying(InvalidNotificationException.class, e -> {
                    assertThat(e.line()).isEqualTo(19);
                    assertThat(e.column()).isEqualTo(17);
                    assertThat(e.getMessage())
                            .startsWith("The request body is not valid JSON (line 19, column 17): ")
                            .contains("Unexpected character ('.'");
                });
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``      | The request body is empty; expected a JSON object.",
            "` \n\t` | The request body is empty; expected a JSON object.",
            "[]      | The request body must be a JSON object, but it is a JSON array.",
            "\"x\"   | The request body must be a JSON object, but it is a JSON string.",
            "42      | The request body must be a JSON object, but it is a JSON number.",
            "true    | The request body must be a JSON object, but it is a JSON boolean.",
            "null    | The request body must be a JSON object, but it is null.",
    })
    void bodiesThatAreNotAJsonObjectGetAClearMessage(String body, String message) {
        assertThatThrownBy(() -> normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidNotificationException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((InvalidNotificationException) e).line()).isNull());
    }

    @Test
    void noBodyAtAllIsEmpty() {
        assertThatThrownBy(() -> normaliser.normalise("contoso", null))
                .isInstanceOf(InvalidNotificationException.class)
                .hasMessage("The request body is empty; expected a JSON object.");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // bare word: Jackson reports the position after the token
            "x                    | 1 | 2 | Unrecognized token 'x'",
            "`{\"a\": 1,\n \"b\": }` | 2 | 7 | Unexpected character ('}'",
            "`{\"a\": 1`          | 1 | 8 | Unexpected end-of-input",
            // a second value after the object is not one notification
            "`{\"a\": 1} {\"b\": 2}` | 1 | 10 | unexpected content after the JSON value",
            // two values for one key are ambiguous: which one did Azure mean?
            "`{\"a\": 1, \"a\": 2}` | 1 | 13 | Duplicate field 'a'",
    })
    void malformedJsonNamesLineAndColumn(String body, int line, int column, String detail) {
        assertThatThrownBy(() -> normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidNotificationException.class, e -> {
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.getMessage())
                            .startsWith("The request body is not valid JSON (line " + line + ", column " + column + "): ")
                            .contains(detail)
                            .doesNotContain("Source", "com.fasterxml", "DeserializationFeature");
                });
    }

    @Test
    void aValidObjectOfUnknownShapeIsKeptAsACustomFiredAlert() {
        String body = "{\"message\": \"disk almost full\", \"host\": \"web-1\", \"level\": 7.50}";

        PlatformEvent event = normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8));

        assertThat(event.type()).isEqualTo(EventType.ALERT_FIRED);
        assertThat(event.data().schema()).isEqualTo("custom");
        assertThat(event.data().condition()).isEqualTo("Fired");
        assertThat(event.data().targetResourceIds()).isEmpty();
        assertThat(event.subject()).isNull();
        assertThat(event.data().payload().toString()).isEqualTo("{\"message\":\"disk almost full\",\"host\":\"web-1\",\"level\":7.50}");
    }

    @Test
    void aKnownSchemaIdWithAnUnexpectedShapeIsKeptAsCustomRatherThanDropped() {
        String body = "{\"schemaId\": \"azureMonitorCommonAlertSchema\", \"data\": {\"essentials\": \"not an object\"}}";

        PlatformEvent event = normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8));

        assertThat(event.data().schema()).isEqualTo("custom");
        assertThat(event.data().payload().path("data").path("essentials").asText()).isEqualTo("not an object");
    }

    @Test
    void oddlyTypedFieldsInAKnownShapeAreReadAsAbsent() {
        String body = """
                {"schemaId": "azureMonitorCommonAlertSchema", "data": {"essentials": {
                  "alertId": {"nested": true}, "alertRule": 42, "severity": ["Sev1"], "monitorCondition": null,
                  "alertTargetIDs": "not-an-array", "firedDateTime": "yesterday"}}}""";

        PlatformEvent event = normaliser.normalise("contoso", body.getBytes(StandardCharsets.UTF_8));

        assertThat(event.data().schema()).isEqualTo("common");
        assertThat(event.data().alertId()).isNull();
        assertThat(event.data().alertRule()).isEqualTo("42");
        assertThat(event.data().severity()).isNull();
        assertThat(event.data().condition()).isEqualTo("Fired");
        assertThat(event.data().targetResourceIds()).isEmpty();
        assertThat(event.data().firedAt()).isNull();
    }

    @Test
    void anInvalidTenantIsACallersBugNotABadNotification() {
        assertThatThrownBy(() -> normaliser.normalise("Contoso_Ltd", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant");
    }
}
