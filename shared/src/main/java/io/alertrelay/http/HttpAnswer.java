package io.alertrelay.http;

import io.alertrelay.domain.Json;
import java.util.Map;

/**
 * What an HTTP function answers: status, headers and a JSON body. Problems are RFC 9457 problem+json; anything that
 * may pass on a retry is 503 with Retry-After, never 500, because Azure Monitor retries 503 but never 500 (DESIGN §1).
 */
public record HttpAnswer(int status, Map<String, String> headers, String body) {

    /** Seconds a caller should wait before retrying a 503. */
    public static final String RETRY_AFTER_SECONDS = "10";

    public HttpAnswer {
        headers = Map.copyOf(headers);
    }

    public static HttpAnswer json(int status, Object body) {
        return new HttpAnswer(status, Map.of("Content-Type", "application/json"), Json.write(body));
    }

    public static HttpAnswer problem(Problem p) {
        return new HttpAnswer(p.status(), Map.of("Content-Type", Problem.CONTENT_TYPE), Json.write(p.members()));
    }

    /** 503 with Retry-After; {@code detail} must hold no secret. */
    public static HttpAnswer unavailable(String detail) {
        Problem p = Problem.of("unavailable", "Service unavailable", 503, detail);
        return new HttpAnswer(503, Map.of("Content-Type", Problem.CONTENT_TYPE, "Retry-After", RETRY_AFTER_SECONDS),
                Json.write(p.members()));
    }
}
