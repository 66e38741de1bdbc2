package io.alertrelay.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes a {@link HealthReport} as the JSON body of the health endpoint. */
public final class HealthReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthReportJson() {
    }

    public static String write(HealthReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the health report", e);
        }
    }
}
