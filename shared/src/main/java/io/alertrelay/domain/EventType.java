package io.alertrelay.domain;

/** The CloudEvents {@code type} values of DESIGN §3. */
public enum EventType {
    ALERT_FIRED("io.alertrelay.alert.fired"),
    ALERT_RESOLVED("io.alertrelay.alert.resolved"),
    DEPLOYMENT_STATUS("io.alertrelay.deployment.status"),
    AUTOSCALE_SCALED("io.alertrelay.autoscale.scaled"),
    /**
     * A synthetic event the deployment pipeline sends through the whole pipeline to prove it (every notification of
     * the reserved tenant {@link ProbeTenant#NAME}); signed and delivered like any other, acknowledged and ignored
     * by the platform.
     */
    PROBE("io.alertrelay.probe");

    private final String value;

    EventType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static EventType fromValue(String value) {
        for (EventType t : values()) {
            if (t.value.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type: " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}
