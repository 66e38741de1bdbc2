package io.alertrelay.intake;

import io.alertrelay.domain.Lane;
import io.alertrelay.domain.PlatformEvent;
import java.util.Map;

/**
 * The HTTP answer the function returns: status, headers and a JSON body.
 *
 * @param event   the accepted event (202 only), for the caller's log; never part of the body beyond id and type
 * @param reason  the problem's title (4xx, 503), for the log
 * @param failure what made a 503, for the function's log; null otherwise, and never part of the body
 * @param lane    the lane the accepted event was published to (202 only), for the log
 */
public record IntakeResponse(int status, Map<String, String> headers, String body, PlatformEvent event,
                             String reason, Throwable failure, Lane lane) {

    public IntakeResponse {
        headers = Map.copyOf(headers);
    }

    public String header(String name) {
        return headers.get(name);
    }
}
