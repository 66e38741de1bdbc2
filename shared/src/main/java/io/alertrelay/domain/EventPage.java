package io.alertrelay.domain;

import java.util.List;

/** One page of a search for stored events, oldest first; {@code continuation} is null on the last. */
public record EventPage(List<StoredAlert> events, String continuation) {

    public EventPage {
        events = List.copyOf(events);
    }
}
