package io.alertrelay.local.servicebus;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Service Bus duplicate detection: a MessageId seen within the window is a duplicate. The window counts from the
 * first message with that id; dropped duplicates do not extend it.
 */
final class DuplicateDetector {
    private final Duration window;
    /** Insertion order is time order, so forgetting old ids only ever looks at the head. */
    private final LinkedHashMap<String, Instant> firstSeen = new LinkedHashMap<>();

    DuplicateDetector(Duration window) {
        this.window = window;
    }

    /** Records {@code messageId} and tells whether it was already seen within the window. */
    boolean isDuplicate(String messageId, Instant now) {
        if (messageId == null || window.isZero()) {
            return false;
        }
        forgetIdsSeenBefore(now.minus(window));
        return firstSeen.putIfAbsent(messageId, now) != null;
    }

    /** The ids remembered now, with when each was first seen, oldest first. */
    Map<String, Instant> remembered() {
        return new LinkedHashMap<>(firstSeen);
    }

    /** Remembers an id seen before a restart; ids must come oldest first. */
    void remember(String messageId, Instant firstSeenAt) {
        firstSeen.putIfAbsent(messageId, firstSeenAt);
    }

    private void forgetIdsSeenBefore(Instant cutoff) {
        Iterator<Map.Entry<String, Instant>> it = firstSeen.entrySet().iterator();
        while (it.hasNext() && !it.next().getValue().isAfter(cutoff)) {
            it.remove();
        }
    }
}
