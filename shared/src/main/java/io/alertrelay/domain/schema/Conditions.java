package io.alertrelay.domain.schema;

import java.util.Locale;

/**
 * Every notification either raises something or clears it. Azure spells that as {@code monitorCondition}
 * Fired/Resolved (common schema) or {@code status} Activated/Resolved/Deactivated (older schemas); anything that
 * does not clear is a firing.
 */
final class Conditions {

    static final String FIRED = "Fired";
    static final String RESOLVED = "Resolved";

    private Conditions() {
    }

    /** Resolved for Resolved/Deactivated (any case), Fired for everything else, including missing. */
    static String of(String spelled) {
        if (spelled == null) {
            return FIRED;
        }
        String s = spelled.trim().toLowerCase(Locale.ROOT);
        return s.equals("resolved") || s.equals("deactivated") ? RESOLVED : FIRED;
    }
}
