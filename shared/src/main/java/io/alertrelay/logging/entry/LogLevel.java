package io.alertrelay.logging.entry;

import java.util.logging.Level;

/** The {@code Level} column: the names Application Insights uses for trace severity. */
public enum LogLevel {
    INFORMATION("Information", Level.INFO),
    WARNING("Warning", Level.WARNING),
    ERROR("Error", Level.SEVERE);

    private final String value;
    private final Level julLevel;

    LogLevel(String value, Level julLevel) {
        this.value = value;
        this.julLevel = julLevel;
    }

    /** The value written to the table. */
    public String value() {
        return value;
    }

    /** The level of the same entry on the function's {@link java.util.logging.Logger}. */
    public Level julLevel() {
        return julLevel;
    }

    @Override
    public String toString() {
        return value;
    }
}
