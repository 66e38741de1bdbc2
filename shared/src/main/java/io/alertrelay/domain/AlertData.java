package io.alertrelay.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The {@code data} of a platform event (DESIGN §3). Fields that a source does not carry are null, never absent,
 * so the platform sees one shape whatever Azure sent. {@code payload} is the original notification, unchanged.
 *
 * @param schema            the source shape: common, metric, classic-metric, log, activity-log, budget, autoscale, custom
 * @param severity          Sev0..Sev4 or null, whatever the source spelled
 * @param condition         Fired or Resolved (or null when the source has no such notion)
 * @param targetResourceIds never null; may be empty
 * @param firedAt           ISO-8601 UTC or null
 * @param resolvedAt        ISO-8601 UTC or null
 */
public record AlertData(
        String schema,
        String alertId,
        String alertRule,
        String severity,
        String condition,
        String monitoringService,
        String signalType,
        List<String> targetResourceIds,
        String firedAt,
        String resolvedAt,
        String description,
        Deployment deployment,
        Scale scale,
        Health health,
        Budget budget,
        JsonNode payload) {

    public AlertData {
        targetResourceIds = targetResourceIds == null ? List.of() : List.copyOf(targetResourceIds);
    }

    /** An ARM deployment's progress, from activity-log events of Microsoft.Resources/deployments/write. */
    public record Deployment(String status, String name, String resourceGroup, String correlationId, String caller) {
    }

    /** An autoscale operation: direction out|in, capacities as numbers. */
    public record Scale(String direction, Integer oldCapacity, Integer newCapacity, String autoscaleSettingId,
                        String targetResourceId) {
    }

    /** Service Health and Resource Health details; impactedServices is always a real array. */
    public record Health(String trackingId, String stage, String incidentType, String title, String status,
                         List<String> impactedServices, List<String> impactedRegions) {
        public Health {
            impactedServices = impactedServices == null ? List.of() : List.copyOf(impactedServices);
            impactedRegions = impactedRegions == null ? List.of() : List.copyOf(impactedRegions);
        }
    }

    /**
     * A cost budget notification; amounts as numbers.
     *
     * @param amount        the budget's amount
     * @param spent         what has been spent so far in the budget period
     * @param threshold     the notification threshold that was crossed, as an amount
     * @param thresholdType Actual or Forecasted (a forecasted alert fires before the money is spent); null when the
     *                      source does not say
     */
    public record Budget(String budgetName, String budgetType, Double amount, Double spent, Double threshold,
                         String unit, String resourceGroup, String subscriptionId, String thresholdType) {
    }
}
