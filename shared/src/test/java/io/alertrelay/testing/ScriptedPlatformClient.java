package io.alertrelay.testing;

import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.port.PlatformClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake platform client for the use case: answers with scripted outcomes, then DELIVERED; records each call. It
 * asks the gate before its one attempt, as the real client asks before each.
 */
public final class ScriptedPlatformClient implements PlatformClient {

    private final Deque<DeliveryOutcome> script = new ArrayDeque<>();
    private final List<String> deliveredIds = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    public synchronized ScriptedPlatformClient then(DeliveryOutcome outcome) {
        script.add(outcome);
        return this;
    }

    @Override
    public synchronized DeliveryOutcome deliver(String eventId, byte[] body, AttemptGate gate) {
        if (!gate.stillWanted()) {
            return DeliveryOutcome.withdrawn(0);
        }
        bodies.add(body);
        DeliveryOutcome next = script.isEmpty() ? DeliveryOutcome.delivered(200, 1) : script.poll();
        if (next.kind() == DeliveryOutcome.Kind.DELIVERED) {
            deliveredIds.add(eventId);
        }
        return next;
    }

    public List<String> deliveredIds() {
        return deliveredIds;
    }

    public List<byte[]> bodies() {
        return bodies;
    }

    public int calls() {
        return bodies.size();
    }
}
