package io.alertrelay.adapter.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.alertrelay.settings.Secret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our signer, checked against an independent implementation: the Standard Webhooks Java library
 * (com.standardwebhooks:standardwebhooks 1.2.0), the verifier a platform team would use.
 */
class WebhookSignatureTest {

    static final Secret CURRENT = newSecret();
    static final Secret PREVIOUS = newSecret();
    private static final String ID = "evt-7f3a9c";
    private static final byte[] BODY =
            "{\"specversion\":\"1.0\",\"id\":\"evt-7f3a9c\",\"data\":{\"description\":\"Température élevée ✓\"}}"
                    .getBytes(StandardCharsets.UTF_8);

    static Secret newSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return new Secret("whsec_" + Base64.getEncoder().encodeToString(key));
    }

    /** The library's verify(payload, headers): it checks the timestamp is within 5 minutes of its own clock. */
    static void verify(Secret secret, String id, long timestamp, String signature, byte[] body) throws Exception {
        new Webhook(secret.reveal()).verify(new String(body, StandardCharsets.UTF_8), Map.of(
                "webhook-id", List.of(id),
                "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature)));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void aSignatureFromOneSecretVerifiesWithTheStandardWebhooksLibrary() throws Exception {
        long ts = now();
        String header = new WebhookSigner(List.of(CURRENT)).signature(ID, ts, BODY);

        assertThat(header).startsWith("v1,").doesNotContain(" ");
        verify(CURRENT, ID, ts, header, BODY);
    }

    @Test
    void matchesTheLibrarysOwnSignatureByteForByte() throws Exception {
        long ts = 1_614_265_330L;
        assertThat(new WebhookSigner(List.of(CURRENT)).signature(ID, ts, BODY))
                .isEqualTo(new Webhook(CURRENT.reveal()).sign(ID, ts, new String(BODY, StandardCharsets.UTF_8)));
    }

    @Test
    void matchesThePublishedExampleOfTheSpec() {
        // The example of the Standard Webhooks reference implementations: the key is the base64-decoded bytes.
        Secret secret = new Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String header = new WebhookSigner(List.of(secret))
                .signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(header).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringRotationEachSecretAloneVerifiesTheHeader() throws Exception {
        long ts = now();
        String header = new WebhookSigner(List.of(CURRENT, PREVIOUS)).signature(ID, ts, BODY);

        assertThat(header.split(" ")).hasSize(2).allSatisfy(part -> assertThat(part).startsWith("v1,"));
        // current first: a receiver that only looks at the first entry still gets the current secret's signature
        assertThat(header.split(" ")[0]).isEqualTo(new WebhookSigner(List.of(CURRENT)).signature(ID, ts, BODY));
        verify(CURRENT, ID, ts, header, BODY);
        verify(PREVIOUS, ID, ts, header, BODY);
    }

    @Test
    void aTamperedBodyIdOrTimestampFailsVerification() {
        long ts = now();
        String header = new WebhookSigner(List.of(CURRENT, PREVIOUS)).signature(ID, ts, BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("élevée", "normale").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> verify(CURRENT, ID, ts, header, tampered)).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verify(PREVIOUS, ID, ts, header, tampered)).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verify(CURRENT, "evt-other", ts, header, BODY)).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verify(CURRENT, ID, ts + 1, header, BODY)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void anotherSecretDoesNotVerify() {
        long ts = now();
        String header = new WebhookSigner(List.of(CURRENT)).signature(ID, ts, BODY);
        assertThatThrownBy(() -> verify(PREVIOUS, ID, ts, header, BODY)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void signsTheBodyBytesAsSent() throws Exception {
        // Same text, different bytes (a trailing newline): the signature follows the bytes.
        long ts = now();
        WebhookSigner signer = new WebhookSigner(List.of(CURRENT));
        byte[] withNewline = (new String(BODY, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(signer.signature(ID, ts, withNewline)).isNotEqualTo(signer.signature(ID, ts, BODY));
        verify(CURRENT, ID, ts, signer.signature(ID, ts, withNewline), withNewline);
    }

    @Test
    void refusesMalformedSecretsWithoutQuotingThem() {
        String notBase64 = "whsec_%%%SECRETISH%%%";
        String noPrefix = Base64.getEncoder().encodeToString("SECRETISH-KEY-MATERIAL".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> new WebhookSigner(List.of(new Secret(notBase64))))
                .isInstanceOf(IllegalArgumentException.class).hasNoCause()
                .message().doesNotContain("SECRETISH").doesNotContain("%%%");
        assertThatThrownBy(() -> new WebhookSigner(List.of(new Secret(noPrefix))))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(noPrefix);
        assertThatThrownBy(() -> new WebhookSigner(List.of(new Secret("whsec_"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new WebhookSigner(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSigner(List.of(CURRENT, PREVIOUS, newSecret())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverShowsASecret() {
        WebhookSigner signer = new WebhookSigner(List.of(CURRENT, PREVIOUS));
        assertThat(signer.toString()).isEqualTo("WebhookSigner[2 secrets]");
        assertThatCode(() -> signer.signature(ID, now(), BODY)).doesNotThrowAnyException();
    }
}
