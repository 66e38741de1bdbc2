package io.alertrelay.local.servicebus;

import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;

/** The AMQP error conditions the SDK maps to its exceptions, and the rejected outcomes carrying them. */
final class ServiceBusErrors {
    /** Mapped by the SDK to ServiceBusFailureReason.MESSAGE_LOCK_LOST. */
    static final Symbol MESSAGE_LOCK_LOST = Symbol.valueOf("com.microsoft:message-lock-lost");
    /** Mapped by the SDK to a non-transient AmqpException (LINK_PAYLOAD_SIZE_EXCEEDED). */
    static final Symbol MESSAGE_SIZE_EXCEEDED = LinkError.MESSAGE_SIZE_EXCEEDED;
    /** The condition the SDK puts on a rejected outcome to dead-letter a message. */
    static final Symbol DEAD_LETTER = Symbol.valueOf("com.microsoft:dead-letter");
    /** Service Bus's answer to a send to a full entity; the SDK maps it to ServiceBusFailureReason.QUOTA_EXCEEDED. */
    static final Symbol QUOTA_EXCEEDED = AmqpError.RESOURCE_LIMIT_EXCEEDED;
    static final Symbol NOT_FOUND = AmqpError.NOT_FOUND;
    static final Symbol NOT_IMPLEMENTED = AmqpError.NOT_IMPLEMENTED;
    static final Symbol DECODE_ERROR = AmqpError.DECODE_ERROR;

    private ServiceBusErrors() {
    }

    static Rejected rejected(Symbol condition, String description) {
        Rejected rejected = new Rejected();
        rejected.setError(new ErrorCondition(condition, description));
        return rejected;
    }

    static Rejected lockLost() {
        return rejected(MESSAGE_LOCK_LOST, "The lock supplied is invalid. Either the lock expired, or the message "
                + "has already been removed from the queue.");
    }
}
