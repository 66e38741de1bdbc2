package io.alertrelay.local.servicebus;

import java.util.function.Function;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link a client sends requests on to a $cbs or $management node. The response goes back on the client's
 * receive link whose target address is the request's reply-to, correlated by the request's message-id.
 */
final class RequestLink implements LinkEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLink.class);
    private static final int CREDIT = 100;
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final Receiver receiver;
    private final RequestHandler handler;
    private final Function<String, ReplyLink> replyLinks;

    RequestLink(Receiver receiver, RequestHandler handler, Function<String, ReplyLink> replyLinks) {
        this.receiver = receiver;
        this.handler = handler;
        this.replyLinks = replyLinks;
        receiver.open();
        receiver.flow(CREDIT);
    }

    @Override
    public void onDelivery(Delivery delivery) {
        IncomingTransfer.complete(receiver, delivery, MAX_REQUEST_BYTES).ifPresent(transfer -> {
            if (!delivery.isAborted() && !transfer.exceedsLimit()) {
                respond(WireFormat.decode(transfer.bytes()));
            }
            IncomingTransfer.settle(receiver, delivery, Accepted.getInstance(), CREDIT);
        });
    }

    private void respond(Message request) {
        Message response;
        try {
            response = handler.handle(request);
        } catch (RuntimeException e) {
            LOG.warn("Request '{}' failed", RequestHandler.operation(request), e);
            response = RequestHandler.failure(500, AmqpError.INTERNAL_ERROR, "The emulator failed: " + e);
        }
        response.setCorrelationId(request.getMessageId());
        ReplyLink replyLink = replyLinks.apply(request.getReplyTo());
        if (replyLink == null) {
            LOG.warn("No reply link for reply-to '{}'; response to '{}' dropped", request.getReplyTo(),
                    RequestHandler.operation(request));
            return;
        }
        replyLink.send(response);
    }
}
