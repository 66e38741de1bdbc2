package io.alertrelay.functions;

import java.util.function.Supplier;

/** Builds a value on first use, once, thread-safely; nothing connects when a function class is loaded. */
final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = factory.get();
                    value = v;
                }
            }
        }
        return v;
    }

    boolean isBuilt() {
        return value != null;
    }
}
