package io.alertrelay.intake;

import io.alertrelay.settings.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tenant tokens (DESIGN §5): {@code base64url(HMAC-SHA256(key, tenant))}, unpadded. The first key is current, the
 * others are still accepted while a rotation is under way. Comparison is constant-time and always goes over every
 * key, so the answer time does not tell which key, or how much of a token, matched.
 */
public final class TenantTokens {

    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final List<Secret> keys;

    public TenantTokens(List<Secret> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one tenant token key is needed");
        }
        this.keys = List.copyOf(keys);
    }

    public static boolean isValidTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    /** The token a tenant's webhook URL carries, made with the current key. */
    public String tokenFor(String tenant) {
        return token(keys.get(0), tenant);
    }

    /** True when the token was made for this tenant with any configured key. */
    public boolean verify(String tenant, String token) {
        byte[] presented = (token == null ? "" : token).getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (Secret key : keys) {
            byte[] expected = token(key, tenant).getBytes(StandardCharsets.UTF_8);
            match |= MessageDigest.isEqual(expected, presented);
        }
        return match;
    }

    static String token(Secret key, String tenant) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return BASE64URL.encodeToString(mac.doFinal(tenant.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
