package io.alertrelay.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Closes what was opened, last first, each once; one that fails does not keep the others open. */
final class Closer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Closer.class.getName());

    private record Step(String name, AutoCloseable closeable) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    <T extends AutoCloseable> T add(String name, T closeable) {
        steps.push(new Step(name, closeable));
        return closeable;
    }

    @Override
    public synchronized void close() {
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.closeable().close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping " + step.name() + " failed: " + e.getMessage(), e);
            }
        }
    }
}
