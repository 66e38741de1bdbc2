package io.alertrelay.port;

/**
 * One database holding the three store capabilities, as the object graph builds and closes it. The use cases never
 * see it: each depends on the capability it uses ({@link EventDocuments}, {@link AlertInstances},
 * {@link PayloadStore}).
 */
public interface Store extends HealthProbe, AutoCloseable {

    EventDocuments documents();

    AlertInstances instances();

    PayloadStore payloads();

    EventSearch search();

    TenantRegistry registry();

    /** Releases the connection; the default has none. */
    @Override
    default void close() {
    }
}
