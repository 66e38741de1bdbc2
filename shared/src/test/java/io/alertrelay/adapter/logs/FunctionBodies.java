package io.alertrelay.adapter.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.IntakeResponse;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.LogProperty;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Stage;
import java.io.IOException;
import java.util.logging.Logger;

/** The webhook's function body as the functions module will write it: the intake, with an entry for each stage. */
final class FunctionBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionBodies() {
    }

    static IntakeResponse webhook(AlertIntake intake, PipelineLog pipelineLog, IntakeRequest request,
                                  String invocationId, Logger functionLogger) {
        InvocationLog log = pipelineLog.forInvocation("AlertWebhook", invocationId, functionLogger).tenant(request.tenant());
        log.at(Stage.RECEIVED).property(LogProperty.BODY_BYTES, request.body().length)
                .property(LogProperty.CONTENT_TYPE, request.contentType()).log("notification received");
        IntakeResponse response = intake.handle(request);
        if (response.status() == 202) {
            JsonNode body = read(response.body());
            log.event(body.path("id").asText(), body.path("type").asText(), request.tenant()).at(Stage.PUBLISHED)
                    .property(LogProperty.HTTP_STATUS, 202).log("alert published");
        } else if (response.status() == 503) {
            log.at(Stage.RETRIED).property(LogProperty.HTTP_STATUS, 503).error(response.failure())
                    .log("alert not made durable; Azure Monitor retries on 503");
        } else {
            log.at(Stage.REJECTED).property(LogProperty.HTTP_STATUS, response.status())
                    .property(LogProperty.REASON, read(response.body()).path("title").asText(null))
                    .log("notification rejected");
        }
        return response;
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body == null ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
