package io.alertrelay.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replays of one event (DESIGN §13): how many, the last one's time, and the most recent requests with their
 * outcomes — which is what lets a replay message that the broker hands over again be recognised, so one replay
 * request delivers an event at most once.
 *
 * @param count  replays that reached the dequeuer
 * @param lastAt when the last one ended
 * @param recent the last {@value #KEPT} replay requests, newest last
 */
public record Replays(int count, Instant lastAt, List<Replay> recent) {

    /** How many recent replay requests a document remembers. */
    public static final int KEPT = 10;
    public static final Replays NONE = new Replays(0, null, List.of());

    /** One replay request's outcome for this event: delivered, rejected, deadlettered or retried. */
    public record Replay(String id, Instant at, String outcome) {
    }

    public Replays {
        recent = List.copyOf(recent == null ? List.of() : recent);
    }

    /** The outcome of replay request {@code replayId}, if it reached this event. */
    public Optional<String> outcomeOf(String replayId) {
        return recent.stream().filter(r -> r.id().equals(replayId)).map(Replay::outcome).reduce((a, b) -> b);
    }

    Replays with(String replayId, String outcome, Instant at) {
        List<Replay> next = new ArrayList<>(recent);
        boolean again = next.removeIf(r -> r.id().equals(replayId)); // a later outcome of the same request
        next.add(new Replay(replayId, at, outcome));
        while (next.size() > KEPT) {
            next.remove(0);
        }
        return new Replays(again ? count : count + 1, at, next);
    }
}
