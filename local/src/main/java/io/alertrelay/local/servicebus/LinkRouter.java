package io.alertrelay.local.servicebus;

import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a link a client attaches is, from its address: a sender to a topic, a receiver from a subscription
 * or dead-letter queue, or the two halves of a $cbs / $management request-response pair. Anything else is refused
 * the AMQP way, attach then detach with an error the SDK turns into its exception. One per connection, because
 * responses go back on a link of the same connection.
 */
final class LinkRouter {
    private static final Logger LOG = LoggerFactory.getLogger(LinkRouter.class);
    /** The source filter of the SDK's session receivers. */
    private static final Symbol SESSION_FILTER = Symbol.valueOf("com.microsoft:session-filter");

    private final Namespace namespace;
    private final CbsNode cbsNode = new CbsNode();
    /** Response links by the reply-to address the client puts on its requests. */
    private final Map<String, ReplyLink> replyLinks = new HashMap<>();

    LinkRouter(Namespace namespace) {
        this.namespace = namespace;
    }

    /** Opens the link with the endpoint its address calls for; null when the link is refused. */
    LinkEndpoint attach(Link link) {
        // Echo what the client asked for: a null terminus or other settle modes would read as a refusal.
        link.setSenderSettleMode(link.getRemoteSenderSettleMode());
        link.setReceiverSettleMode(link.getRemoteReceiverSettleMode());
        link.setSource(link.getRemoteSource());
        link.setTarget(link.getRemoteTarget());
        LinkEndpoint endpoint = link instanceof Receiver receiver ? attachIncoming(receiver)
                : attachOutgoing((Sender) link);
        if (endpoint != null) {
            LOG.debug("Attached {} '{}' as {}", link instanceof Receiver ? "sender" : "receiver", link.getName(),
                    endpoint.getClass().getSimpleName());
        }
        return endpoint;
    }

    /** The client sends on this link: to a topic, or requests to $cbs or $management. */
    private LinkEndpoint attachIncoming(Receiver receiver) {
        if (!(receiver.getRemoteTarget() instanceof Target target)) {
            return refuse(receiver, ServiceBusErrors.NOT_IMPLEMENTED, "Transactions are not emulated.");
        }
        EntityAddress address = EntityAddress.parse(target.getAddress());
        if (address.kind() == EntityAddress.Kind.CBS) {
            return new RequestLink(receiver, cbsNode, replyLinks::get);
        }
        if (address.management()) {
            ManagementNode node = managementNode(address, target.getAddress());
            return node == null ? refuse(receiver, ServiceBusErrors.NOT_FOUND, notFound(target.getAddress()))
                    : new RequestLink(receiver, node, replyLinks::get);
        }
        if (address.kind() == EntityAddress.Kind.TOPIC) {
            return namespace.topic(address.topic())
                    .<LinkEndpoint>map(topic -> new PublisherLink(receiver, topic, namespace))
                    .orElseGet(() -> refuse(receiver, ServiceBusErrors.NOT_FOUND, notFound(target.getAddress())));
        }
        return refuse(receiver, ServiceBusErrors.NOT_FOUND, notFound(target.getAddress()));
    }

    /** The client receives on this link: from a subscription, or responses from $cbs or $management. */
    private LinkEndpoint attachOutgoing(Sender sender) {
        Source source = sender.getRemoteSource() instanceof Source s ? s : null;
        String sourceAddress = source == null ? null : source.getAddress();
        if (source != null && source.getFilter() != null && source.getFilter().containsKey(SESSION_FILTER)) {
            return refuse(sender, ServiceBusErrors.NOT_IMPLEMENTED, "Sessions are not emulated.");
        }
        EntityAddress address = EntityAddress.parse(sourceAddress);
        if (address.kind() == EntityAddress.Kind.CBS || address.management()) {
            String replyTo = sender.getRemoteTarget() instanceof Target target ? target.getAddress() : null;
            if (replyTo == null) {
                return refuse(sender, ServiceBusErrors.NOT_FOUND, "A response link needs a target address.");
            }
            ReplyLink replyLink = new ReplyLink(sender, replyTo, () -> replyLinks.remove(replyTo));
            replyLinks.put(replyTo, replyLink);
            return replyLink;
        }
        return namespace.queue(address)
                .<LinkEndpoint>map(queue -> new ConsumerLink(sender, queue, namespace))
                .orElseGet(() -> refuse(sender, ServiceBusErrors.NOT_FOUND, notFound(sourceAddress)));
    }

    private ManagementNode managementNode(EntityAddress address, String nodeAddress) {
        if (address.kind() == EntityAddress.Kind.TOPIC) {
            return namespace.topic(address.topic()).map(topic -> new ManagementNode(nodeAddress, null, namespace))
                    .orElse(null);
        }
        return namespace.queue(address).map(queue -> new ManagementNode(nodeAddress, queue, namespace)).orElse(null);
    }

    private static LinkEndpoint refuse(Link link, Symbol condition, String description) {
        LOG.info("Refusing link '{}': {}", link.getName(), description);
        if (link instanceof Sender) {
            link.setSource(null);
        } else {
            link.setTarget(null);
        }
        link.open();
        link.setCondition(new ErrorCondition(condition, description));
        link.close();
        return null;
    }

    private static String notFound(String address) {
        return "The messaging entity '" + address + "' could not be found in the Service Bus emulator.";
    }
}
