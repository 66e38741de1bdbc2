package io.alertrelay.local.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Distinct notifications made from one common-schema sample: each gets its own {@code essentials.alertId}, so each
 * has its own event id and Service Bus duplicate detection keeps them all. A run id keeps two runs apart.
 */
public final class Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode template;
    private final String alertId;
    private final String runId;

    public Notifications(byte[] sample, String runId) {
        try {
            JsonNode root = JSON.readTree(sample);
            JsonNode id = root.path("data").path("essentials").path("alertId");
            if (!id.isTextual()) {
                throw new IllegalArgumentException("the load sample must be a common-schema alert with data.essentials.alertId");
            }
            this.template = (ObjectNode) root;
            this.alertId = id.asText();
            this.runId = runId;
        } catch (IOException e) {
            throw new IllegalArgumentException("the load sample is not JSON: " + e.getMessage());
        }
    }

    /** The bundled sample, {@code local/samples/demo-metric-alert.json}. */
    public static byte[] bundledSample() {
        try (InputStream in = Notifications.class.getResourceAsStream("/samples/demo-metric-alert.json")) {
            if (in == null) {
                throw new IllegalStateException("the bundled sample is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code n}-th notification of this run. */
    public byte[] get(int n) {
        ObjectNode copy = template.deepCopy();
        ((ObjectNode) copy.path("data").path("essentials")).put("alertId", alertId + "-" + runId + "-" + n);
        try {
            return JSON.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
