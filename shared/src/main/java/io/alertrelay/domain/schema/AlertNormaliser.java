package io.alertrelay.domain.schema;

import io.alertrelay.domain.AlertData;
import io.alertrelay.domain.EventIdentity;
import io.alertrelay.domain.EventType;
import io.alertrelay.domain.NotificationBody;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.ProbeTenant;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Turns an Azure Monitor notification, in any of its shapes, into the platform event (DESIGN §3) with its
 * deterministic id (DESIGN §4). Stateless and thread-safe.
 *
 * <p>Shapes: the common alert schema for every monitoring service; legacy metric ({@code AzureMonitorMetricAlert});
 * classic metric; legacy log ({@code Microsoft.Insights/LogAlert} and the v1 top-level shape); legacy activity log
 * ({@code Microsoft.Insights/activityLogs}); legacy budget ({@code AIP Budget Notification}); autoscale
 * notifications; and {@code custom} for any other JSON object, which is never dropped. Whatever the shape, a
 * notification for the reserved {@link ProbeTenant} is an {@link EventType#PROBE} event.
 */
public final class AlertNormaliser {

    private final Clock clock;

    public AlertNormaliser() {
        this(Clock.systemUTC());
    }

    /** @param clock gives the time of receipt, used as event time for notifications that carry no time */
    public AlertNormaliser(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param tenant the tenant the notification was posted for, already validated ({@code [a-z0-9][a-z0-9-]{0,62}})
     * @param body   the request body as received
     * @throws InvalidNotificationException when the body is empty, not JSON, or not a JSON object; its message is
     *                                      safe to show the caller
     * @throws IllegalArgumentException     when the tenant is not a valid tenant name (a caller's bug)
     */
    public PlatformEvent normalise(String tenant, byte[] body) {
        EventIdentity.requireTenant(tenant);
        ParsedNotification parsed = Schemas.read(NotificationBody.parse(body));
        AlertData data = parsed.data();
        String id = EventIdentity.eventId(tenant, data, parsed.sourceTime());
        Instant time = parsed.sourceTime() != null ? parsed.sourceTime() : clock.instant();
        EventType type = ProbeTenant.is(tenant) ? EventType.PROBE : parsed.type();
        return new PlatformEvent(id, type, tenant, time, subjectOf(data), data);
    }

    /** The first target, lower-cased: Azure spells one resource id in several cases across payloads. */
    private static String subjectOf(AlertData data) {
        return data.targetResourceIds().isEmpty() ? null : data.targetResourceIds().get(0).toLowerCase(Locale.ROOT);
    }
}
