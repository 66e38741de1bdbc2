package io.alertrelay.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a paged replay stands, as the opaque continuation the caller sends back: the replay's id, the tenant it is
 * in, and the store's own continuation within that tenant.
 */
record ReplayCursor(String replayId, String tenant, String storeContinuation) {

    String encode() {
        ObjectNode json = Json.object().put("r", replayId).put("t", tenant);
        if (storeContinuation != null) {
            json.put("c", storeContinuation);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(json));
    }

    static ReplayCursor decode(String continuation) {
        try {
            JsonNode json = Json.readTree(new String(Base64.getUrlDecoder().decode(continuation), StandardCharsets.UTF_8));
            String replayId = json.path("r").asText(null);
            String tenant = json.path("t").asText(null);
            if (replayId == null || tenant == null) {
                throw new InvalidReplayRequest("continuation", "not a continuation this service gave");
            }
            return new ReplayCursor(replayId, tenant, json.path("c").asText(null));
        } catch (IllegalArgumentException e) {
            throw new InvalidReplayRequest("continuation", "not a continuation this service gave");
        }
    }
}
