package io.alertrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.settings.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * {@code token TENANT --key-from-vault VAULT} against a local HTTPS stand-in for Key Vault, through the real Key Vault
 * SDK: the challenge, the bearer token for Key Vault's scope, the secret tenant-token-keys, its first key. Only the
 * credential (DefaultAzureCredential in ./alert-relay) and the trusted certificate are the test's.
 */
class TokenFromKeyVaultTest {

    @TempDir
    Path dir;
    private KeyVaultStandIn vault;
    private final List<String> scopesAsked = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        vault = KeyVaultStandIn.start(dir);
        Path root = Path.of(System.getProperty("alertrelay.root", ".."));
        Files.copy(root.resolve("local.settings.sample.json"), dir.resolve("local.settings.sample.json"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void theTokenIsMadeWithTheFirstKeyOfTheVaultsTenantTokenKeysSecretWhichIsNeverPrinted() {
        vault.secret("tenant-token-keys", "azure-current-key,azure-previous-key");

        assertThat(token("contoso", vault.vaultUrl().toString())).as(err()).isZero();

        assertThat(out()).isEqualTo(new TenantTokens(List.of(new Secret("azure-current-key"))).tokenFor("contoso") + "\n");
        assertThat(out() + err()).doesNotContain("azure-current-key").doesNotContain("azure-previous-key");
        assertThat(scopesAsked).containsExactly("https://vault.azure.net/.default");
        List<KeyVaultStandIn.Request> requests = vault.requests();
        assertThat(requests).extracting(KeyVaultStandIn.Request::path).allMatch(p -> p.matches("/secrets/tenant-token-keys/?"));
        assertThat(requests.get(0).authorization()).as("the challenge first").isNull();
        assertThat(requests.get(requests.size() - 1).authorization()).isEqualTo("Bearer " + KeyVaultStandIn.ACCESS_TOKEN);
        assertThat(requests.get(requests.size() - 1).query()).startsWith("api-version=");
    }

    @Test
    void aVaultWithoutTheSecretFailsWithExitOneSayingWhichSecretAndWhereItComesFrom() {
        vault.secret("some-other-secret", "x");

        assertThat(token("contoso", vault.vaultUrl().toString())).isEqualTo(Commands.FAILED);

        assertThat(err()).startsWith("alert-relay: the vault 127.0.0.1 has no secret tenant-token-keys")
                .contains("keyVaultName");
        assertThat(out()).isEmpty();
    }

    @Test
    void noPermissionOnTheVaultFailsWithExitOneNamingTheRoleToAssign() {
        vault.secret("tenant-token-keys", "azure-current-key");
        vault.answer(403);

        assertThat(token("contoso", vault.vaultUrl().toString())).isEqualTo(Commands.FAILED);

        assertThat(err()).startsWith("alert-relay: you may not read the secrets of the vault 127.0.0.1 (HTTP 403)")
                .contains("Key Vault Secrets User");
        assertThat(err().strip().lines()).hasSize(1);
    }

    @Test
    void aVaultNameBecomesItsAzureUrl() {
        assertThat(VaultKeys.vaultUrl("kv-alertrelay-prod")).map(Object::toString)
                .contains("https://kv-alertrelay-prod.vault.azure.net");
        assertThat(VaultKeys.vaultUrl("https://kv-x.vault.azure.cn")).map(Object::toString)
                .contains("https://kv-x.vault.azure.cn");
        assertThat(VaultKeys.vaultUrl("http://kv-x.vault.azure.net")).isEmpty();
        assertThat(VaultKeys.vaultUrl("kv")).isEmpty();
        assertThat(VaultKeys.vaultUrl("kv_underscore")).isEmpty();
    }

    private int token(String tenant, String vaultUrl) {
        TokenCredential credential = request -> {
            scopesAsked.addAll(request.getScopes());
            return Mono.just(new AccessToken(KeyVaultStandIn.ACCESS_TOKEN, OffsetDateTime.now().plusHours(1)));
        };
        CommandEnvironment env = CommandEnvironment.of(dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]))
                .withVaultClient(b -> b.httpClient(vault.sdkHttpClient()).credential(credential)
                        // the challenge names vault.azure.net, which 127.0.0.1 is not a host of
                        .disableChallengeResourceVerification());
        return Commands.run(List.of("token", tenant, "--key-from-vault", vaultUrl), env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
