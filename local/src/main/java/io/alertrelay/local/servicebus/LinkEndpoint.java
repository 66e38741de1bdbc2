package io.alertrelay.local.servicebus;

import org.apache.qpid.proton.engine.Delivery;

/** The emulator's side of one attached link; kept as the proton-j link's context. */
interface LinkEndpoint {

    /** A transfer arrived, or the peer updated the state of a delivery on this link. */
    default void onDelivery(Delivery delivery) {
    }

    /** Called after every dispatch pass, e.g. to answer a drain request the queue could not fill. */
    default void afterDispatch() {
    }

    /** The link or its connection is gone: give back what it holds. */
    default void onClose() {
    }
}
