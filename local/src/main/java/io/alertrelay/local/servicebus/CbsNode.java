package io.alertrelay.local.servicebus;

import org.apache.qpid.proton.message.Message;

/**
 * The claims-based security node. The SDK puts a SAS token here before it opens any link; the emulator accepts
 * every token without looking at it.
 */
final class CbsNode implements RequestHandler {

    @Override
    public Message handle(Message request) {
        String operation = RequestHandler.operation(request);
        return "put-token".equals(operation) ? RequestHandler.ok(null)
                : RequestHandler.notImplemented(operation, "$cbs");
    }
}
