package io.alertrelay.domain.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Any JSON object of no known shape: a custom webhook payload, a new Azure shape, a test from a person. It is never
 * dropped: it becomes a Fired alert whose only content is the payload, so the platform still sees it.
 */
final class CustomSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return true;
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        return new AlertDraft("custom", body);
    }
}
