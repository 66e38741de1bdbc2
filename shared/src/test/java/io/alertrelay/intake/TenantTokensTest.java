package io.alertrelay.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.settings.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TenantTokensTest {

    private final TenantTokens tokens = new TenantTokens(List.of(new Secret("current-key"), new Secret("old-key")));

    @Test
    void tokenIsUnpaddedBase64UrlOfHmacSha256OfTheTenantUnderTheCurrentKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("current-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal("contoso".getBytes(StandardCharsets.UTF_8)));

        assertThat(tokens.tokenFor("contoso")).isEqualTo(expected).doesNotContain("=", "+", "/");
    }

    @Test
    void tokenMadeWithAnOlderKeyIsStillAcceptedDuringRotation() {
        String oldToken = new TenantTokens(List.of(new Secret("old-key"))).tokenFor("contoso");
        assertThat(tokens.verify("contoso", oldToken)).isTrue();
    }

    @Test
    void tokenOfAnotherTenantOrARetiredKeyOrNoTokenIsRefused() {
        assertThat(tokens.verify("fabrikam", tokens.tokenFor("contoso"))).isFalse();
        String retired = new TenantTokens(List.of(new Secret("retired-key"))).tokenFor("contoso");
        assertThat(tokens.verify("contoso", retired)).isFalse();
        assertThat(tokens.verify("contoso", null)).isFalse();
        assertThat(tokens.verify("contoso", "")).isFalse();
        assertThat(tokens.verify("contoso", tokens.tokenFor("contoso") + "x")).isFalse();
    }

    @Test
    void tenantMustBeLowercaseAlphanumericWithInnerDashesUpToSixtyThreeCharacters() {
        assertThat(TenantTokens.isValidTenant("contoso-prod-1")).isTrue();
        assertThat(TenantTokens.isValidTenant("a".repeat(63))).isTrue();
        assertThat(TenantTokens.isValidTenant("a".repeat(64))).isFalse();
        assertThat(TenantTokens.isValidTenant("-contoso")).isFalse();
        assertThat(TenantTokens.isValidTenant("Contoso")).isFalse();
        assertThat(TenantTokens.isValidTenant("con/toso")).isFalse();
        assertThat(TenantTokens.isValidTenant("")).isFalse();
        assertThat(TenantTokens.isValidTenant(null)).isFalse();
    }

    @Test
    void noKeysIsAConfigurationError() {
        assertThatThrownBy(() -> new TenantTokens(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
