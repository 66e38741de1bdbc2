package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.alertrelay.domain.Json;
import io.alertrelay.health.HealthReport;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /api/health}: the version and each dependency's state, no secrets; used by the staging smoke test. */
public class Health {

    private final Supplier<HealthReport> report;

    public Health(Supplier<HealthReport> report) {
        this.report = Objects.requireNonNull(report, "report");
    }

    @FunctionName("Health")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "health") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        HealthReport r;
        try {
            r = report.get();
        } catch (RuntimeException e) {
            // A settings problem names the setting; anything else (a client that cannot be built) only its type.
            r = HealthReport.misconfigured(SafeMessage.of(e));
        }
        // 200 while the worker can serve; 503 when its settings stop it, so a slot swap or probe sees it.
        return request.createResponseBuilder(r.status().equals("misconfigured") ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .header("Content-Type", "application/json")
                .body(Json.write(r))
                .build();
    }
}
