package io.alertrelay.domain;

/**
 * The tenant reserved for the deployment probe (infra/pipeline/probe.sh): every notification posted for it becomes an
 * {@link EventType#PROBE} event, so a probe proves the whole path — webhook, bus, store, signed delivery — without
 * the platform mistaking it for a customer's alert. No customer may be onboarded under this name.
 */
public final class ProbeTenant {

    public static final String NAME = "alertrelay-probe";

    private ProbeTenant() {
    }

    public static boolean is(String tenant) {
        return NAME.equals(tenant);
    }
}
