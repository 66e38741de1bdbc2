package io.alertrelay.local.servicebus;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.transport.ConnectionError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SaslListener;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.engine.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: a proton-j Transport, Connection and Collector, driven by the emulator's event loop. Opens
 * whatever the client opens; its {@link LinkRouter} decides what each attached link is.
 */
final class AmqpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);
    private static final String CONTAINER_ID = "alert-relay-servicebus-emulator";
    private static final int MAX_FRAME_SIZE = 64 * 1024;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final Transport transport = Proton.transport();
    private final Connection connection = Proton.connection();
    private final Collector collector = Proton.collector();
    private final Set<LinkEndpoint> endpoints = new LinkedHashSet<>();
    private final LinkRouter router;
    private long heartbeatDeadline;
    private boolean finished;
    private boolean released;

    AmqpConnection(SocketChannel channel, SelectionKey key, Namespace namespace) {
        this.channel = channel;
        this.key = key;
        this.router = new LinkRouter(namespace);
        transport.setMaxFrameSize(MAX_FRAME_SIZE);
        Sasl sasl = transport.sasl();
        sasl.server();
        sasl.setMechanisms("ANONYMOUS", "PLAIN", "MSSBCBS");
        sasl.setListener(new AcceptAnyClient());
        connection.collect(collector);
        transport.bind(connection);
    }

    /** Reads what the socket has into proton-j and handles the resulting events. */
    void read() throws IOException {
        while (transport.capacity() > 0) {
            int read = channel.read(transport.tail());
            if (read < 0) {
                finished = true; // the client is gone: nothing left to say to it
                transport.close_tail();
                break;
            }
            if (read == 0) {
                break;
            }
            process();
        }
        handleEvents();
    }

    private void process() {
        try {
            transport.process();
        } catch (TransportException e) {
            LOG.warn("AMQP protocol error, closing the connection: {}", e.getMessage());
            finished = true;
        }
    }

    void handleEvents() {
        Event event;
        while ((event = collector.peek()) != null) {
            try {
                handle(event);
            } finally {
                collector.pop();
            }
        }
    }

    private void handle(Event event) {
        switch (event.getType()) {
            case CONNECTION_REMOTE_OPEN -> {
                connection.setContainer(CONTAINER_ID);
                connection.open();
            }
            case CONNECTION_REMOTE_CLOSE -> connection.close();
            case SESSION_REMOTE_OPEN -> {
                Session session = event.getSession();
                if (session.getLocalState() == EndpointState.UNINITIALIZED) {
                    session.open();
                }
            }
            case SESSION_REMOTE_CLOSE -> endSession(event.getSession());
            case LINK_REMOTE_OPEN -> attach(event.getLink());
            case LINK_REMOTE_DETACH, LINK_REMOTE_CLOSE -> detach(event.getLink());
            case TRANSPORT_ERROR -> LOG.debug("Transport error: {}", event.getTransport().getCondition());
            case DELIVERY -> {
                if (event.getDelivery().getLink().getContext() instanceof LinkEndpoint endpoint) {
                    endpoint.onDelivery(event.getDelivery());
                }
            }
            default -> { }
        }
    }

    private void attach(Link link) {
        if (link.getLocalState() != EndpointState.UNINITIALIZED) {
            return;
        }
        LinkEndpoint endpoint = router.attach(link);
        if (endpoint != null) {
            link.setContext(endpoint);
            endpoints.add(endpoint);
        }
    }

    /** A session can end without its links being detached first; they are gone all the same. */
    private void endSession(Session session) {
        EnumSet<EndpointState> any = EnumSet.allOf(EndpointState.class);
        for (Link link = connection.linkHead(any, any); link != null; link = link.next(any, any)) {
            if (link.getSession() == session) {
                detach(link);
            }
        }
        session.close();
    }

    private void detach(Link link) {
        if (link.getContext() instanceof LinkEndpoint endpoint) {
            endpoint.onClose();
            endpoints.remove(endpoint);
            link.setContext(null);
        }
        if (link.getLocalState() != EndpointState.CLOSED) {
            link.close();
        }
    }

    void afterDispatch() {
        for (LinkEndpoint endpoint : new ArrayList<>(endpoints)) {
            endpoint.afterDispatch();
        }
    }

    /** Writes what proton-j has to send; asks the selector for writability when the socket is full. */
    void flush() throws IOException {
        while (true) {
            int pending = transport.pending();
            if (pending <= 0) {
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            int written = channel.write(transport.head());
            if (written == 0) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            transport.pop(written);
        }
    }

    /** Sends the heartbeats the client's idle timeout asks for, and notes when the next one is due. */
    void tick(long nowMillis) {
        heartbeatDeadline = transport.tick(nowMillis);
    }

    /** When {@link #tick} must run next, on the same clock; 0 when no heartbeat is due. */
    long heartbeatDeadline() {
        return heartbeatDeadline;
    }

    /** True once the client closed the socket, broke the protocol, or proton-j has nothing more to do. */
    boolean isFinished() {
        return finished || (transport.capacity() < 0 && transport.pending() < 0);
    }

    /** Closes the AMQP connection with amqp:connection:forced, as a broker shutting down does. */
    void closeForcibly() {
        if (connection.getLocalState() != EndpointState.CLOSED) {
            connection.setCondition(new ErrorCondition(ConnectionError.CONNECTION_FORCED,
                    "The Service Bus emulator is shutting down."));
            connection.close();
        }
        try {
            flush();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the socket is closed next anyway
        }
    }

    /** Closes the socket and gives back every link's consumers and reply addresses. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        for (LinkEndpoint endpoint : new ArrayList<>(endpoints)) {
            endpoint.onClose();
        }
        endpoints.clear();
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }

    /** The emulator authenticates nobody: any SASL mechanism and any credentials are fine. */
    private static final class AcceptAnyClient implements SaslListener {
        @Override
        public void onSaslInit(Sasl sasl, Transport transport) {
            sasl.done(Sasl.SaslOutcome.PN_SASL_OK);
        }

        @Override
        public void onSaslResponse(Sasl sasl, Transport transport) {
            sasl.done(Sasl.SaslOutcome.PN_SASL_OK);
        }

        @Override
        public void onSaslMechanisms(Sasl sasl, Transport transport) {
        }

        @Override
        public void onSaslChallenge(Sasl sasl, Transport transport) {
        }

        @Override
        public void onSaslOutcome(Sasl sasl, Transport transport) {
        }
    }
}
