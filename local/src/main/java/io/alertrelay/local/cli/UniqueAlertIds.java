package io.alertrelay.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.InvalidNotificationException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code send --unique}: each notification gets a fresh alert id, so that it is a new event. The event id is
 * deterministic (DESIGN §4): posting one file twice is one event, whose second message Service Bus duplicate detection
 * drops without a word. The alert id is the field the pipeline reads it from in each schema (essentials.alertId,
 * context.id, eventDataId, ...), found with the pipeline's own normaliser and suffixed wherever it occurs; a
 * notification without one (its id covers the whole payload) gets a top-level {@code alertRelayUnique} field.
 * A body that is not a JSON object is posted as it is, so its 400 still shows.
 */
final class UniqueAlertIds {

    static final String FIELD = "alertRelayUnique";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runId;
    private final AtomicInteger next = new AtomicInteger();

    UniqueAlertIds(String runId) {
        this.runId = runId;
    }

    byte[] apply(byte[] body) {
        String alertId;
        JsonNode root;
        try {
            alertId = new AlertNormaliser().normalise("unique", body).data().alertId();
            root = JSON.readTree(body);
        } catch (InvalidNotificationException | IOException e) {
            return body;
        }
        if (!(root instanceof ObjectNode object)) {
            return body;
        }
        String suffix = "-" + runId + "-" + next.incrementAndGet();
        if (alertId == null || !replace(object, alertId, alertId + suffix)) {
            object.put(FIELD, runId + suffix);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(object);
        } catch (IOException e) {
            return body;
        }
    }

    /** Replaces every string equal to {@code from} in the tree; true if there was one. */
    private static boolean replace(JsonNode node, String from, String to) {
        boolean replaced = false;
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual() && field.getValue().asText().equals(from)) {
                    field.setValue(TextNode.valueOf(to));
                    replaced = true;
                } else {
                    replaced |= replace(field.getValue(), from, to);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual() && array.get(i).asText().equals(from)) {
                    array.set(i, TextNode.valueOf(to));
                    replaced = true;
                } else {
                    replaced |= replace(array.get(i), from, to);
                }
            }
        }
        return replaced;
    }
}
