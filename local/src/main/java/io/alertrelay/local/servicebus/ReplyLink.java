package io.alertrelay.local.servicebus;

import java.nio.ByteBuffer;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.message.Message;

/** The link responses of a $cbs or $management node go out on, known by the client's reply-to address. */
final class ReplyLink implements LinkEndpoint {
    private final Sender sender;
    private final String replyTo;
    private final Runnable onClose;
    private long nextTag;

    ReplyLink(Sender sender, String replyTo, Runnable onClose) {
        this.sender = sender;
        this.replyTo = replyTo;
        this.onClose = onClose;
        sender.open();
    }

    String replyTo() {
        return replyTo;
    }

    /** proton-j holds the delivery until the client grants credit (it flows one credit per request). */
    void send(Message response) {
        byte[] bytes = WireFormat.encode(response);
        Delivery delivery = sender.delivery(ByteBuffer.allocate(Long.BYTES).putLong(nextTag++).array());
        sender.send(bytes, 0, bytes.length);
        sender.advance();
        if (sender.getSenderSettleMode() == SenderSettleMode.SETTLED) {
            delivery.settle();
        }
    }

    @Override
    public void onDelivery(Delivery delivery) {
        if (!delivery.isSettled() && delivery.remotelySettled()) {
            delivery.settle();
        }
    }

    @Override
    public void onClose() {
        onClose.run();
    }
}
