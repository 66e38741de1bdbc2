package io.alertrelay.local.servicebus;

import java.util.Map;

/** What a receiver asked the broker to do with a locked message, whether over the link or through $management. */
record Disposition(Kind kind, String deadLetterReason, String deadLetterDescription,
        Map<String, Object> propertiesToModify) {

    enum Kind {
        /** Remove the message (AMQP accepted). */
        COMPLETE,
        /** Make it available again and count a failed delivery (AMQP modified). */
        ABANDON,
        /** Make it available again without counting a delivery (AMQP released). */
        RELEASE,
        /** Move it to the dead-letter queue (AMQP rejected with com.microsoft:dead-letter). */
        DEAD_LETTER
    }

    static Disposition of(Kind kind) {
        return new Disposition(kind, null, null, Map.of());
    }
}
