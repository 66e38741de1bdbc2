package io.alertrelay.adapter.platform;

import io.alertrelay.settings.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes the Standard Webhooks {@code webhook-signature} header (DESIGN §3): for each secret,
 * {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, space-separated, current secret first. With two secrets
 * (rotation) a receiver that knows either one accepts the delivery.
 *
 * <p>A secret is {@code whsec_} + base64; per the spec the HMAC key is the base64-decoded bytes, not the text.
 * Keys are decoded once; neither they nor the secrets ever appear in a message or {@link #toString()}.
 */
public final class WebhookSigner {

    static final String SECRET_PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    public WebhookSigner(List<Secret> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("expected one signing secret, or two during rotation, got " + secrets.size());
        }
        List<SecretKeySpec> decoded = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            decoded.add(new SecretKeySpec(decode(Objects.requireNonNull(secrets.get(i), "secret"), i), HMAC));
        }
        this.keys = List.copyOf(decoded);
    }

    /** The {@code webhook-signature} value for one attempt; the timestamp is the one sent in {@code webhook-timestamp}. */
    public String signature(String id, long timestampSeconds, byte[] body) {
        // The body is signed as the exact bytes sent, never re-encoded through a String.
        byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(keys.size() * 48);
        for (SecretKeySpec key : keys) {
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key, prefix, body)));
        }
        return header.toString();
    }

    int secretCount() {
        return keys.size();
    }

    private static byte[] hmac(SecretKeySpec key, byte[] prefix, byte[] body) {
        try {
            // Mac is not thread-safe and cheap to create: one per signature keeps the signer shareable.
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory on every JVM; only a broken runtime gets here. The key is not in the message.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] decode(Secret secret, int index) {
        String value = secret.reveal();
        String which = index == 0 ? "the current signing secret" : "the previous signing secret";
        if (!value.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(which + " does not start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message may quote a character of the secret.
            throw new IllegalArgumentException(which + " is not valid base64 after " + SECRET_PREFIX);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException(which + " is empty after " + SECRET_PREFIX);
        }
        return key;
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + keys.size() + (keys.size() == 1 ? " secret]" : " secrets]");
    }
}
