package io.alertrelay.retry;

import java.time.Duration;

/** Waits between attempts. A seam so tests record the waits instead of sleeping through them. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
