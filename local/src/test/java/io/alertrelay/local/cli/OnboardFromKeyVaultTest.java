package io.alertrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.settings.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * {@code onboard TENANT --url … --function-key K --key-from-vault VAULT}: the parameters file's URL carries the token of
 * the first key of the vault's tenant-token-keys secret (the current key: during a rotation, the new one), through the
 * real Key Vault SDK against the local HTTPS stand-in of TokenFromKeyVaultTest.
 */
class OnboardFromKeyVaultTest {

    @TempDir
    Path dir;
    private KeyVaultStandIn vault;
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
    void theUrlCarriesTheTokenOfTheVaultsFirstKeyAndNoKeyIsPrinted() throws Exception {
        vault.secret("tenant-token-keys", "azure-new-key,azure-old-key");

        int status = onboard("contoso", "--url", "https://alertrelay-example.azurewebsites.net", "--function-key", "K1",
                "--key-from-vault", vault.vaultUrl().toString());

        assertThat(status).as(err()).isZero();
        String token = new TenantTokens(List.of(new Secret("azure-new-key"))).tokenFor("contoso");
        assertThat(new ObjectMapper().readTree(out()).at("/parameters/webhookUrl/value").asText())
                .isEqualTo("https://alertrelay-example.azurewebsites.net/api/alerts/contoso?token=" + token + "&code=K1");
        assertThat(err()).isEmpty();
        assertThat(out() + err()).doesNotContain("azure-new-key").doesNotContain("azure-old-key");
    }

    @Test
    void noPermissionOnTheVaultFailsWithExitOneAndPrintsNoFile() {
        vault.secret("tenant-token-keys", "azure-new-key");
        vault.answer(403);

        int status = onboard("contoso", "--url", "https://alertrelay-example.azurewebsites.net", "--function-key", "K1",
                "--key-from-vault", vault.vaultUrl().toString());

        assertThat(status).isEqualTo(Commands.FAILED);
        assertThat(err()).startsWith("alert-relay: you may not read the secrets of the vault").contains("Key Vault Secrets User");
        assertThat(out()).isEmpty();
    }

    private int onboard(String... args) {
        TokenCredential credential = request -> Mono.just(
                new AccessToken(KeyVaultStandIn.ACCESS_TOKEN, OffsetDateTime.now().plusHours(1)));
        CommandEnvironment env = CommandEnvironment.of(dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]))
                .withVaultClient(b -> b.httpClient(vault.sdkHttpClient()).credential(credential)
                        .disableChallengeResourceVerification());
        List<String> command = new java.util.ArrayList<>(List.of("onboard"));
        command.addAll(List.of(args));
        return Commands.run(command, env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
