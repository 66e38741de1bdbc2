package io.alertrelay.domain.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One shape of Azure Monitor notification: knows how to recognise it and how to read it. */
interface NotificationSchema {

    /** True when the body has this shape. Cheap: looks at a few discriminating fields only. */
    boolean recognises(ObjectNode body);

    /** Reads a body this schema recognised. Never throws for missing or oddly typed fields (see {@link Fields}). */
    AlertDraft read(ObjectNode body);
}
