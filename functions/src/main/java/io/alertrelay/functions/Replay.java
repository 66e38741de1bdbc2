package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.alertrelay.http.HttpAnswer;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.replay.ReplayEndpoint;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/replay}: replays stored events chosen by a JSON filter (DESIGN §13, README "Replay").
 *
 * <p>{@code authLevel = ADMIN}: only the host's master key opens it ("Work with access keys in Azure Functions",
 * https://learn.microsoft.com/azure/azure-functions/function-keys-how-to#understand-keys). The route is
 * {@code replay}, not {@code admin/replay}: the Functions host refuses any function route whose first segment is
 * {@code admin} — its own management API lives there — whatever the route prefix, and leaves the function in error
 * ("The specified route conflicts with one or more built in routes"; azure-functions-host issue #1781 and its
 * ScriptHost route validation test). The local host refuses such routes the same way.
 */
public class Replay {

    private final Supplier<ReplayEndpoint> endpoint;
    private final Supplier<PipelineLog> log;

    public Replay(Supplier<ReplayEndpoint> endpoint, Supplier<PipelineLog> log) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.log = Objects.requireNonNull(log, "log");
    }

    @FunctionName("Replay")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ADMIN,
                    route = "replay", dataType = "binary") HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        HttpAnswer answer;
        try {
            answer = endpoint.get().handle(AlertWebhook.header(request.getHeaders(), "content-type"),
                    request.getBody().orElse(new byte[0]),
                    log.get().forInvocation("Replay", context.getInvocationId(), context.getLogger()));
        } catch (RuntimeException e) {
            context.getLogger().severe("Replay cannot run: " + SafeMessage.of(e));
            answer = HttpAnswer.unavailable("the function app cannot replay now; retry later");
        }
        return AlertWebhook.answer(request, answer);
    }
}
