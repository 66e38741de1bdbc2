package io.alertrelay.replay;

import io.alertrelay.http.HttpAnswer;
import io.alertrelay.http.Problem;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.port.PublishFailedException;
import io.alertrelay.port.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /api/replay} (DESIGN §13): the JSON filter in, one page of the replay out —
 * {@code {"replayId", "dryRun", "count", "ids", "unmatched", "deadLettersRemoved", "continuation"}}. A bad filter is a 400 problem+json
 * whose {@code field} member names what is wrong; a store or broker that cannot be reached is a 503 with
 * Retry-After, and the same request may be sent again (a replay delivers each event once per replay id).
 */
public final class ReplayEndpoint {

    /** A filter is a few hundred bytes; 1,000 ids fit in well under this. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private static final String JSON = "application/json";

    private final Replay replay;

    public ReplayEndpoint(Replay replay) {
        this.replay = Objects.requireNonNull(replay, "replay");
    }

    /**
     * @param contentType must be JSON: a form or text/plain body is what a page of another origin can send without
     *                    the browser asking first (a CORS "simple request"), and the local pipeline takes no key
     */
    public HttpAnswer handle(String contentType, byte[] body, InvocationLog log) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).strip().startsWith(JSON)) {
            return HttpAnswer.problem(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send the filter as " + JSON));
        }
        if (body != null && body.length > MAX_BODY_BYTES) {
            return HttpAnswer.problem(Problem.of("replay-too-large", "Replay request too large", 413,
                    "a replay request is at most " + MAX_BODY_BYTES + " bytes"));
        }
        ReplayResult result;
        try {
            result = replay.run(ReplayRequest.parse(body), log);
        } catch (InvalidReplayRequest e) {
            return HttpAnswer.problem(Problem.of("invalid-replay", "Invalid replay request", 400, e.getMessage())
                    .with("field", e.field()));
        } catch (StoreException | PublishFailedException e) {
            return HttpAnswer.unavailable("the store or the topic cannot be reached now; send the same request again");
        }
        return HttpAnswer.json(200, body(result));
    }

    private static Map<String, Object> body(ReplayResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replayId", r.replayId());
        m.put("dryRun", r.dryRun());
        m.put("count", r.count());
        m.put("ids", r.ids());
        m.put("unmatched", r.unmatched());
        m.put("deadLettersRemoved", r.deadLettersRemoved());
        m.put("continuation", r.continuation());
        return m;
    }
}
