package io.alertrelay.local.servicebus;

import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.message.Message;

/**
 * A request/response node ($cbs, $management): one request message in, one response out. Responses carry
 * {@code statusCode}, {@code statusDescription} and, for failures, {@code errorCondition} as application
 * properties; the SDK turns the condition into its exception.
 */
interface RequestHandler {

    Message handle(Message request);

    static String operation(Message request) {
        ApplicationProperties properties = request.getApplicationProperties();
        Object operation = properties == null || properties.getValue() == null ? null
                : properties.getValue().get("operation");
        return operation == null ? "" : operation.toString();
    }

    static Message ok(Object body) {
        return response(200, "OK", null, body);
    }

    static Message failure(int statusCode, Symbol errorCondition, String description) {
        return response(statusCode, description, errorCondition, null);
    }

    static Message notImplemented(String operation, String node) {
        return failure(501, ServiceBusErrors.NOT_IMPLEMENTED,
                "The Service Bus emulator does not support operation '" + operation + "' on " + node + ".");
    }

    static Message response(int statusCode, String description, Symbol errorCondition, Object body) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("statusCode", statusCode); // an int: the SDK casts it
        properties.put("statusDescription", description);
        if (errorCondition != null) {
            properties.put("errorCondition", errorCondition);
        }
        Message response = Proton.message();
        response.setApplicationProperties(new ApplicationProperties(properties));
        if (body != null) {
            response.setBody(new AmqpValue(body));
        }
        return response;
    }
}
