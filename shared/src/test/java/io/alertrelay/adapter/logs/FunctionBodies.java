package io.alertrelay.adapter.logs;

import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.IntakeResponse;
import io.alertrelay.logging.PipelineLog;
import java.util.logging.Logger;

/** The webhook's function body as AlertWebhook writes it: the intake with this invocation's pipeline log. */
final class FunctionBodies {

    private FunctionBodies() {
    }

    static IntakeResponse webhook(AlertIntake intake, PipelineLog pipelineLog, IntakeRequest request,
                                  String invocationId, Logger functionLogger) {
        return intake.handle(request, pipelineLog.forInvocation("AlertWebhook", invocationId, functionLogger));
    }
}
