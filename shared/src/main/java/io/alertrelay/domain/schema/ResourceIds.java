package io.alertrelay.domain.schema;

import java.util.Locale;

/** Reads parts of an Azure resource id ({@code /subscriptions/…/resourceGroups/…/providers/…}). */
final class ResourceIds {

    private ResourceIds() {
    }

    /** The resource group named in the id, or null. */
    static String resourceGroup(String resourceId) {
        return segmentAfter(resourceId, "resourcegroups");
    }

    /** The subscription named in the id, or null. */
    static String subscriptionId(String resourceId) {
        return segmentAfter(resourceId, "subscriptions");
    }

    /**
     * The segment that follows the last segment equal (ignoring case) to {@code key}, e.g. the deployment name after
     * {@code deployments}; null when the id has no such pair. Azure is inconsistent about case in ids
     * ({@code resourceGroups} vs {@code resourcegroups}), hence the case-insensitive match.
     */
    static String segmentAfter(String resourceId, String key) {
        if (resourceId == null) {
            return null;
        }
        String[] segments = resourceId.split("/");
        for (int i = segments.length - 2; i >= 0; i--) {
            if (segments[i].toLowerCase(Locale.ROOT).equals(key) && !segments[i + 1].isBlank()) {
                return segments[i + 1];
            }
        }
        return null;
    }

    /** True when the id names a resource of the given provider type segment, e.g. {@code autoscalesettings}. */
    static boolean hasType(String resourceId, String typeSegment) {
        return segmentAfter(resourceId, typeSegment) != null;
    }

    /** The id without a trailing slash (Cost Management writes scopes as {@code /subscriptions/<id>/}). */
    static String trimTrailingSlash(String resourceId) {
        if (resourceId == null) {
            return null;
        }
        String trimmed = resourceId;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
