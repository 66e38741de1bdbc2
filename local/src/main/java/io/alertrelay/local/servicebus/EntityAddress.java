package io.alertrelay.local.servicebus;

import java.util.Locale;

/**
 * A link address as the Service Bus SDK writes it: {@code $cbs}, {@code <topic>},
 * {@code <topic>/Subscriptions/<subscription>}, the same with {@code /$DeadLetterQueue}, and any of them with
 * {@code /$management} for the entity's request/response node. Case-insensitive, like Service Bus.
 */
record EntityAddress(Kind kind, String topic, String subscription, boolean management) {

    enum Kind { CBS, TOPIC, SUBSCRIPTION, DEAD_LETTER, UNKNOWN }

    private static final String MANAGEMENT_SUFFIX = "/$management";

    static EntityAddress parse(String address) {
        if (address == null) {
            return unknown();
        }
        String path = withoutSchemeAndHost(address.trim());
        if (path.equalsIgnoreCase("$cbs")) {
            return new EntityAddress(Kind.CBS, null, null, false);
        }
        boolean management = path.toLowerCase(Locale.ROOT).endsWith(MANAGEMENT_SUFFIX);
        if (management) {
            path = path.substring(0, path.length() - MANAGEMENT_SUFFIX.length());
        }
        String[] parts = path.split("/");
        if (parts.length == 1 && !parts[0].isEmpty()) {
            return new EntityAddress(Kind.TOPIC, parts[0], null, management);
        }
        if ((parts.length == 3 || parts.length == 4) && parts[1].equalsIgnoreCase("subscriptions")) {
            if (parts.length == 3) {
                return new EntityAddress(Kind.SUBSCRIPTION, parts[0], parts[2], management);
            }
            if (parts[3].equalsIgnoreCase("$deadletterqueue")) {
                return new EntityAddress(Kind.DEAD_LETTER, parts[0], parts[2], management);
            }
        }
        return unknown();
    }

    private static EntityAddress unknown() {
        return new EntityAddress(Kind.UNKNOWN, null, null, false);
    }

    /** Addresses may come as absolute URLs (amqps://host/topic); only the path names the entity. */
    private static String withoutSchemeAndHost(String address) {
        int scheme = address.indexOf("://");
        if (scheme < 0) {
            return address.startsWith("/") ? address.substring(1) : address;
        }
        int pathStart = address.indexOf('/', scheme + 3);
        return pathStart < 0 ? "" : address.substring(pathStart + 1);
    }
}
