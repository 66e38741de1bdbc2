package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.alertrelay.http.HttpAnswer;
import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.IntakeResponse;
import io.alertrelay.logging.PipelineLog;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/alerts/{tenant}?token=…}: Azure Monitor's action-group webhook (DESIGN §5). Binds the request
 * and hands it to {@link AlertIntake}; the function key ({@code code=}) is checked by the host. If the intake cannot
 * be built (a setting missing), it answers 503 with Retry-After: Azure Monitor retries a 503 but never a 500.
 */
public class AlertWebhook {

    private final Supplier<AlertIntake> intake;
    private final Supplier<PipelineLog> log;

    /** @param intake and @param log are built on first use by the app's graph, and may fail then */
    public AlertWebhook(Supplier<AlertIntake> intake, Supplier<PipelineLog> log) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.log = Objects.requireNonNull(log, "log");
    }

    @FunctionName("AlertWebhook")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "alerts/{tenant}", dataType = "binary") HttpRequestMessage<Optional<byte[]>> request,
            @BindingName("tenant") String tenant,
            ExecutionContext context) {
        IntakeRequest in = new IntakeRequest(tenant, request.getQueryParameters().get("token"),
                header(request.getHeaders(), "content-type"), request.getBody().orElse(new byte[0]));
        IntakeResponse out;
        try {
            out = intake.get().handle(in, log.get().forInvocation("AlertWebhook", context.getInvocationId(),
                    context.getLogger()));
        } catch (RuntimeException e) {
            context.getLogger().severe("AlertWebhook cannot run: " + SafeMessage.of(e));
            return answer(request, HttpAnswer.unavailable("the function app cannot take alerts now; retry later"));
        }
        return answer(request, new HttpAnswer(out.status(), out.headers(), out.body()));
    }

    static HttpResponseMessage answer(HttpRequestMessage<?> request, HttpAnswer answer) {
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatus.valueOf(answer.status()))
                .body(answer.body());
        answer.headers().forEach(response::header);
        return response.build();
    }

    /** Header names are case-insensitive; hosts differ in how they spell them. */
    static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
