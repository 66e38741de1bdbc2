package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.firstOf;
import static io.alertrelay.domain.schema.Fields.integer;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.alertrelay.domain.AlertData;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.Severity;
import io.alertrelay.domain.UtcTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One activity-log event, as both the common schema ({@code data.alertContext}) and the legacy activity-log schema
 * ({@code data.context.activityLog}) carry it: same field names, so the details (deployment, autoscale, health) are
 * read once, here.
 */
final class ActivityLogEvent {

    private static final String DEPLOYMENT_WRITE = "microsoft.resources/deployments/write";
    /** The autoscale engine's activity-log operations: Scaleup/Action and Scaledown/Action. */
    private static final Pattern SCALE_ACTION =
            Pattern.compile("microsoft\\.insights/autoscalesettings/scale(up|down)/action", Pattern.CASE_INSENSITIVE);
    private static final List<String> DEPLOYMENT_STATUSES = List.of("Started", "Accepted", "Succeeded", "Failed", "Canceled");

    private final JsonNode event;
    private final JsonNode properties;

    ActivityLogEvent(JsonNode event) {
        this.event = event;
        this.properties = at(event, "properties");
    }

    /** True when the node is an activity-log event: every one names its operation. */
    static boolean describes(JsonNode context) {
        return text(context, "operationName") != null;
    }

    String operationName() {
        return text(event, "operationName");
    }

    String eventTimestamp() {
        return text(event, "eventTimestamp");
    }

    String eventDataId() {
        return text(event, "eventDataId");
    }

    String description() {
        return text(event, "description");
    }

    /** {@code eventSource} when it is a name (Administrative, Autoscale, …); some payloads send an enum number. */
    String eventSourceName() {
        JsonNode source = at(event, "eventSource");
        return source.isTextual() ? text(event, "eventSource") : null;
    }

    /**
     * The event level as a severity, only when Azure spelled it as a name (Informational → Sev3). Some payloads send
     * the level as an undocumented enum number (Service Health: {@code 3}); guessing its scale would be wrong, so
     * a number gives null.
     */
    String levelAsSeverity() {
        JsonNode level = at(event, "level");
        boolean spelledAsName = level.isTextual() && !level.textValue().trim().matches("\\d+");
        return spelledAsName ? Severity.of(level.textValue()) : null;
    }

    /** The resource the event is about, in the source's own case: resourceId, else the authorization scope. */
    String resourceId() {
        return firstOf(text(event, "resourceId"), text(event, "authorization", "scope"));
    }

    /**
     * Adds what this event says beyond a plain alert: health details, and for a deployment or a scale operation the
     * details that make it that kind of event. Their time is when the operation happened ({@code eventTimestamp}),
     * not when an alert rule noticed it.
     */
    void addDetailsTo(AlertDraft draft) {
        draft.health = health(draft.monitoringService);
        if (isDeployment()) {
            draft.deployment = deployment(draft.targetResourceIds);
        } else if (isScaleAction()) {
            draft.scale = scale(draft.targetResourceIds);
        }
        if (draft.deployment != null || draft.scale != null) {
            UtcTime.parse(eventTimestamp()).ifPresent(t -> draft.time = t);
        }
    }

    private boolean isDeployment() {
        String operation = operationName();
        return operation != null && operation.toLowerCase(Locale.ROOT).equals(DEPLOYMENT_WRITE);
    }

    private boolean isScaleAction() {
        String operation = operationName();
        return operation != null && SCALE_ACTION.matcher(operation).matches();
    }

    private AlertData.Deployment deployment(List<String> targetResourceIds) {
        String deploymentId = candidateIds(targetResourceIds)
                .filter(id -> ResourceIds.hasType(id, "deployments"))
                .findFirst().orElse(null);
        String resourceGroup = firstOf(text(event, "resourceGroupName"), ResourceIds.resourceGroup(deploymentId));
        return new AlertData.Deployment(deploymentStatus(), ResourceIds.segmentAfter(deploymentId, "deployments"),
                resourceGroup, text(event, "correlationId"), text(event, "caller"));
    }

    /** The status in its canonical spelling when it is one of the deployment states, else as Azure wrote it. */
    private String deploymentStatus() {
        String status = text(event, "status");
        return DEPLOYMENT_STATUSES.stream().filter(s -> s.equalsIgnoreCase(status)).findFirst().orElse(status);
    }

    private AlertData.Scale scale(List<String> targetResourceIds) {
        Matcher matcher = SCALE_ACTION.matcher(operationName());
        String direction = matcher.matches() && matcher.group(1).equalsIgnoreCase("up") ? "out" : "in";
        String settingId = candidateIds(targetResourceIds)
                .filter(id -> ResourceIds.hasType(id, "autoscalesettings"))
                .findFirst().orElse(null);
        // properties.resourceName is the scaled resource's full id in the published sample
        String target = text(properties, "resourceName");
        return new AlertData.Scale(direction, integer(properties, "oldInstancesCount"),
                integer(properties, "newInstancesCount"), settingId,
                target != null && target.startsWith("/") ? target : null);
    }

    /** Ids the event may name itself by: its own fields first (original case), then the alert's targets. */
    private Stream<String> candidateIds(List<String> targetResourceIds) {
        List<String> ids = new ArrayList<>();
        ids.add(text(event, "resourceId"));
        ids.add(text(event, "authorization", "scope"));
        ids.add(text(properties, "entity"));
        ids.addAll(targetResourceIds);
        return ids.stream().filter(id -> id != null);
    }

    /** Service Health or Resource Health details; null for any other event. */
    private AlertData.Health health(String monitoringService) {
        String operation = firstOf(operationName(), "").toLowerCase(Locale.ROOT);
        String source = firstOf(eventSourceName(), "");
        String service = firstOf(monitoringService, "").replace(" ", "");
        if (operation.startsWith("microsoft.servicehealth/") || source.equalsIgnoreCase("ServiceHealth")
                || service.equalsIgnoreCase("ServiceHealth")) {
            return serviceHealth();
        }
        if (operation.startsWith("microsoft.resourcehealth/") || source.equalsIgnoreCase("ResourceHealth")
                || service.equalsIgnoreCase("ResourceHealth")) {
            return resourceHealth();
        }
        return null;
    }

    private AlertData.Health serviceHealth() {
        List<String> services = new ArrayList<>();
        Set<String> regions = new LinkedHashSet<>();
        for (JsonNode impacted : impactedServices()) {
            addIfPresent(services, text(impacted, "ServiceName"));
            for (JsonNode region : at(impacted, "ImpactedRegions")) {
                addIfPresent(regions, text(region, "RegionName"));
            }
        }
        if (services.isEmpty()) {
            addIfPresent(services, text(properties, "service"));
        }
        if (regions.isEmpty()) {
            addIfPresent(regions, text(properties, "region"));
        }
        return new AlertData.Health(text(properties, "trackingId"), text(properties, "stage"),
                text(properties, "incidentType"), firstOf(text(properties, "title"), text(properties, "defaultLanguageTitle")),
                text(event, "status"), services, List.copyOf(regions));
    }

    /** Azure sends {@code impactedServices} as an array, or as a string holding the array's JSON: accept both. */
    private JsonNode impactedServices() {
        JsonNode impacted = at(properties, "impactedServices");
        if (impacted.isTextual()) {
            impacted = Json.parseEmbedded(impacted.textValue());
        }
        return impacted != null && impacted.isArray() ? impacted : MissingNode.getInstance();
    }

    /**
     * Resource Health has no tracking id or stage; its incident type is {@code properties.type} (Downtime, …) and
     * its status the resource's current health (Unavailable, Degraded, …), which is what a reader wants to know.
     */
    private AlertData.Health resourceHealth() {
        return new AlertData.Health(null, null, text(properties, "type"), text(properties, "title"),
                text(properties, "currentHealthStatus"), List.of(), List.of());
    }

    private static void addIfPresent(Collection<String> values, String value) {
        if (value != null) {
            values.add(value);
        }
    }
}
