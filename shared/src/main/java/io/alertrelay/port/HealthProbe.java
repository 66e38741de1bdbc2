package io.alertrelay.port;

/** A cheap check of a dependency for the health endpoint. */
@FunctionalInterface
public interface HealthProbe {

    /** "ok", or a short reason that holds no secret. */
    String health();
}
