package io.alertrelay.replay;

import java.util.List;

/**
 * One page of a replay: the request's id (the same on every page), the events of this page, and where to go on.
 *
 * @param replayId     names the request: the dequeuer delivers each event once per replay id
 * @param ids          the events of this page, at most 1,000
 * @param continuation null when there is no further page; else send it back to get (and, unless a dry run, replay)
 *                     the next
 * @param unmatched    explicit ids that select nothing: no such event, or one outside the filter (another tenant,
 *                     status or window; or still on its way, not yet replayable)
 * @param deadLettersRemoved how many of this page's events' messages left the dead-letter queue
 */
public record ReplayResult(String replayId, boolean dryRun, List<String> ids, String continuation, List<String> unmatched,
                           int deadLettersRemoved) {

    public ReplayResult {
        ids = List.copyOf(ids);
        unmatched = List.copyOf(unmatched);
    }

    public int count() {
        return ids.size();
    }
}
