package io.alertrelay.adapter.servicebus;

import io.alertrelay.domain.Lane;

/**
 * The SQL filters of the lanes' subscriptions (issue 14), as the ARM template declares them in each subscription's
 * {@code $Default} rule; the local runtime gives the same to the Service Bus emulator, and TemplateAgreesWithCodeTest
 * holds the template to them. The two are complementary, so every message lands in exactly one lane: the standard
 * lane takes whatever is not marked bulk, including a message without the property (sent by a webhook of an older
 * version during a deployment). Written with {@code IS NULL} because a comparison with a missing user property is
 * unknown, not true ("Subscription Rule SQL Filter Syntax",
 * https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter).
 */
public final class LaneFilters {

    public static final String STANDARD = Lane.PROPERTY + " IS NULL OR " + Lane.PROPERTY + " <> '"
            + Lane.BULK.value() + "'";
    public static final String BULK = Lane.PROPERTY + " = '" + Lane.BULK.value() + "'";

    private LaneFilters() {
    }

    /** The filter of {@code lane}'s subscription. */
    public static String of(Lane lane) {
        return lane == Lane.BULK ? BULK : STANDARD;
    }
}
