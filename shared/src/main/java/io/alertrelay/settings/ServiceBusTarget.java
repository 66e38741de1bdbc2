package io.alertrelay.settings;

import java.util.Optional;

/**
 * How to reach Service Bus: a connection string, or a fully qualified namespace with managed identity
 * (DefaultAzureCredential). The connection string is a {@link Secret}: its SharedAccessKey never reaches a log.
 */
public record ServiceBusTarget(Optional<Secret> connectionString, Optional<String> fullyQualifiedNamespace) {

    static Optional<ServiceBusTarget> from(SettingsReader r) {
        Optional<Secret> conn = r.secret(Settings.SERVICE_BUS_CONNECTION);
        Optional<String> ns = r.optional(Settings.SERVICE_BUS_NAMESPACE);
        conn.ifPresent(c -> {
            if (!c.reveal().contains("Endpoint=")) {
                throw new SettingsException("setting " + Settings.SERVICE_BUS_CONNECTION
                        + " is not a Service Bus connection string (no Endpoint=)");
            }
        });
        ns.ifPresent(n -> {
            if (n.contains("/") || !n.contains(".")) {
                throw new SettingsException("setting " + Settings.SERVICE_BUS_NAMESPACE
                        + " must be a host name such as mybus.servicebus.windows.net");
            }
        });
        if (conn.isEmpty() && ns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceBusTarget(conn, ns));
    }

    /** Where, without the key: the endpoint host of the connection string or the namespace. */
    public String describe() {
        return connectionString.map(c -> endpointOf(c.reveal())).orElseGet(() -> fullyQualifiedNamespace.orElse("unset"));
    }

    private static String endpointOf(String connectionString) {
        for (String part : connectionString.split(";")) {
            if (part.startsWith("Endpoint=")) {
                return part.substring("Endpoint=".length());
            }
        }
        return "connection string";
    }
}
