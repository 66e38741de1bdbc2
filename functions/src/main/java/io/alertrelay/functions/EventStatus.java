package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.alertrelay.http.HttpAnswer;
import io.alertrelay.status.EventStatusLookup;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/events/{tenant}/{id}}: the status fields of one stored event, never its payload (DESIGN §5); the
 * deployment probe polls it until its event is delivered.
 *
 * <p>{@code authLevel = ADMIN}: only the master key opens it. At the FUNCTION level any host key would too — a host
 * key "allows access to all function endpoints in a function app", the master key is the one key of the "admin"
 * level ("Work with access keys in Azure Functions",
 * https://learn.microsoft.com/azure/azure-functions/function-keys-how-to#understand-keys) — and a tenant's webhook
 * URL might carry a host key by mistake.
 */
public class EventStatus {

    private final Supplier<EventStatusLookup> lookup;

    public EventStatus(Supplier<EventStatusLookup> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @FunctionName("EventStatus")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ADMIN,
                    route = "events/{tenant}/{id}") HttpRequestMessage<Optional<String>> request,
            @BindingName("tenant") String tenant,
            @BindingName("id") String id,
            ExecutionContext context) {
        HttpAnswer answer;
        try {
            answer = lookup.get().lookup(tenant, id);
        } catch (RuntimeException e) {
            context.getLogger().severe("EventStatus cannot run: " + SafeMessage.of(e));
            answer = HttpAnswer.unavailable("the event store cannot be read now; retry later");
        }
        return AlertWebhook.answer(request, answer);
    }
}
