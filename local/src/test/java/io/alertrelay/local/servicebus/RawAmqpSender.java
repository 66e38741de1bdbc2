package io.alertrelay.local.servicebus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;

/**
 * A bare proton-j client that sends to one address, for what the SDK refuses to do: send a message larger than
 * the link's advertised max-message-size, to see that the emulator refuses it too.
 */
final class RawAmqpSender implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Transport transport = Proton.transport();
    private final Connection connection = Proton.connection();
    private final Sender sender;

    RawAmqpSender(int port, String address) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(50);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        Sasl sasl = transport.sasl();
        sasl.client();
        sasl.setMechanisms("ANONYMOUS");
        transport.bind(connection);
        connection.setContainer("raw-amqp-sender");
        connection.setHostname("127.0.0.1");
        connection.open();
        Session session = connection.session();
        session.open();
        sender = session.sender("raw-sender");
        Target target = new Target();
        target.setAddress(address);
        sender.setTarget(target);
        sender.setSource(new Source());
        sender.open();
        pumpUntil(() -> sender.getRemoteState() == EndpointState.ACTIVE && sender.getCredit() > 0);
    }

    UnsignedLong remoteMaxMessageSize() {
        return sender.getRemoteMaxMessageSize();
    }

    /** Sends one encoded message and returns the outcome the emulator settles it with. */
    DeliveryState send(byte[] encodedMessage) throws IOException {
        Delivery delivery = sender.delivery(new byte[] {1});
        sender.send(encodedMessage, 0, encodedMessage.length);
        sender.advance();
        pumpUntil(() -> delivery.getRemoteState() != null);
        return delivery.getRemoteState();
    }

    private void pumpUntil(BooleanSupplier done) throws IOException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        byte[] buffer = new byte[64 * 1024];
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The emulator did not answer within " + TIMEOUT);
            }
            while (transport.pending() > 0) {
                ByteBuffer head = transport.head();
                byte[] bytes = new byte[head.remaining()];
                head.get(bytes);
                out.write(bytes);
                transport.pop(bytes.length);
            }
            out.flush();
            try {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new AssertionError("The emulator closed the connection");
                }
                for (int offset = 0; offset < read; ) {
                    ByteBuffer tail = transport.tail();
                    int chunk = Math.min(tail.remaining(), read - offset);
                    tail.put(buffer, offset, chunk);
                    transport.process();
                    offset += chunk;
                }
            } catch (SocketTimeoutException nothingYet) {
                // write again and keep waiting
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
