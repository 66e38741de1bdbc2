package io.alertrelay.intake;

import java.util.Map;

/**
 * The HTTP answer the function returns: status, headers and a JSON body.
 *
 * @param failure what made a 503, for the function's log; null otherwise, and never part of the body
 */
public record IntakeResponse(int status, Map<String, String> headers, String body, Throwable failure) {

    public IntakeResponse {
        headers = Map.copyOf(headers);
    }

    public IntakeResponse(int status, Map<String, String> headers, String body) {
        this(status, headers, body, null);
    }

    public String header(String name) {
        return headers.get(name);
    }
}
