package io.alertrelay.intake;

/**
 * One webhook call as the intake sees it, free of any hosting library.
 *
 * @param tenant      the {tenant} route segment
 * @param token       the {@code token} query parameter, or null
 * @param contentType the Content-Type header, or null
 * @param body        the raw body, possibly empty, never null
 */
public record IntakeRequest(String tenant, String token, String contentType, byte[] body) {

    public IntakeRequest {
        body = body == null ? new byte[0] : body;
    }
}
