package io.alertrelay.domain;

import java.util.Locale;

/** The lifecycle of a stored event (DESIGN §7). Only RECEIVED and DEADLETTERED may still change. */
public enum DeliveryStatus {
    RECEIVED, DELIVERED, REJECTED, SUPERSEDED, DEADLETTERED;

    /** The lower-case name stored in the document and shown in logs. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Delivered, rejected and superseded are final: a redelivered message must not deliver again. */
    public boolean isFinal() {
        return this == DELIVERED || this == REJECTED || this == SUPERSEDED;
    }
}
