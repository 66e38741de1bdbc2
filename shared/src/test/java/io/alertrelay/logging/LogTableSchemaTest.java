package io.alertrelay.logging;

import io.alertrelay.logging.entry.Stage;

import io.alertrelay.logging.entry.LogProperty;

import io.alertrelay.logging.entry.LogEntry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.port.LogSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One schema: the code's entry fields are held to the table JSON in infra/ (DESIGN §8). */
class LogTableSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LOG_ANALYTICS_TYPES = Set.of("string", "int", "long", "real", "boolean",
            "datetime", "guid", "dynamic");

    @Test
    void theCodesColumnsAreTheTableJsonsColumnsWithTheSameTypesInTheSameOrder() {
        Map<String, String> code = new LinkedHashMap<>();
        LogEntry.COLUMNS.forEach(c -> code.put(c.name(), c.type()));

        assertThat(code).containsExactlyEntriesOf(TableSchema.columns());
    }

    @Test
    void theTableJsonIsInTheShapeOfArmTablesSchemaAndUsesNoReservedColumn() {
        JsonNode schema = TableSchema.json();

        assertThat(schema.path("name").asText()).isEqualTo("AlertRelay_CL");
        assertThat(schema.path("columns").isArray()).isTrue();
        schema.path("columns").forEach(c -> {
            assertThat(c.path("name").asText()).matches("[A-Za-z][A-Za-z0-9_]*");
            assertThat(LOG_ANALYTICS_TYPES).contains(c.path("type").asText());
        });
        // Log Analytics adds or reserves these on every table
        assertThat(TableSchema.columns().keySet()).doesNotContain("TenantId", "Type", "_ResourceId", "SourceSystem",
                "_BilledSize", "_IsBillable", "MG", "ManagementGroupName", "Computer", "RawData");
        assertThat(TableSchema.columns()).containsEntry("TimeGenerated", "datetime");
    }

    @Test
    void aRowMadeByTheApiHasExactlyTheTablesColumnsWithTheirJsonTypes() throws Exception {
        List<LogEntry> entries = new ArrayList<>();
        LogSink capture = e -> entries.add(e);
        InvocationLog log = PipelineLog.of(capture, Redaction.patternsOnly()).forInvocation("AlertDequeuer", "inv-7", null);

        log.at(Stage.RECEIVED).log("bare entry: no tenant, no event, no properties");
        log.event("contoso.abc", "io.alertrelay.alert.fired", "contoso").at(Stage.DELIVERED)
                .property(LogProperty.PLATFORM_STATUS, 200).property(LogProperty.DUPLICATE, false)
                .property(LogProperty.REASON, "ok").durationMs(12.5).log("delivered");

        assertThat(entries).hasSize(2);
        for (LogEntry e : entries) {
            JsonNode row = JSON.valueToTree(e.toRow());
            TableSchema.assertRowMatches(row);
        }
        JsonNode second = JSON.valueToTree(entries.get(1).toRow());
        assertThat(second.path("Properties").path("platformStatus").isNumber()).isTrue();
        assertThat(second.path("Properties").path("duplicate").isBoolean()).isTrue();
        assertThat(second.path("DurationMs").asDouble()).isEqualTo(12.5);
    }
}
