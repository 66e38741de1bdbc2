package io.alertrelay.testing;

import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.PublishFailedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake bus for tests of the use case: records what was acknowledged, or fails as told. */
public final class RecordingPublisher implements AlertPublisher {

    private final List<AlertMessage> published = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;

    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    @Override
    public void publish(AlertMessage message) {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        published.add(message);
    }

    public List<AlertMessage> published() {
        return published;
    }

    public static PublishFailedException unreachable() {
        return new PublishFailedException("bus unreachable", new java.io.IOException("connection refused"));
    }
}
