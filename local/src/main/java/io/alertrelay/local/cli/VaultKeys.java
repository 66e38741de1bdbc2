package io.alertrelay.local.cli;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The tenant token keys of a pipeline in Azure: the Key Vault secret {@code tenant-token-keys}, which the template
 * creates and the app setting {@code TENANT_TOKEN_KEYS} references, read with the Key Vault SDK and (from
 * {@code ./alert-relay}) DefaultAzureCredential — Azure CLI login, environment, managed identity. The value is held
 * as {@link Secret}s and never printed.
 */
final class VaultKeys {

    /** The template's name for the secret behind TENANT_TOKEN_KEYS (infra/azuredeploy.json, tenantKeysSecretName). */
    static final String SECRET_NAME = "tenant-token-keys";
    /** Key Vault names: 3–24 letters, digits and dashes, starting with a letter, not ending with a dash. */
    private static final Pattern VAULT_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]");

    private VaultKeys() {
    }

    /** {@code ./alert-relay}'s credential: DefaultAzureCredential (e.g. after {@code az login}). */
    static SecretClientBuilder defaultCredential(SecretClientBuilder builder) {
        // The SDK logs each credential it tried at ERROR; the one line that matters is ours (below).
        System.setProperty("org.slf4j.simpleLogger.log.com.azure", "off");
        return builder.credential(new DefaultAzureCredentialBuilder().build());
    }

    /** A vault name (Azure public cloud) or its https URL; empty when it is neither. */
    static Optional<URI> vaultUrl(String vault) {
        if (VAULT_NAME.matcher(vault).matches()) {
            return Optional.of(URI.create("https://" + vault.toLowerCase(java.util.Locale.ROOT) + ".vault.azure.net"));
        }
        try {
            URI uri = URI.create(vault);
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException notAUri) {
            // neither
        }
        return Optional.empty();
    }

    /**
     * The keys in the vault's {@code tenant-token-keys} secret, current first (comma-separated, as the app setting).
     *
     * @throws IllegalStateException the vault cannot be reached or read, or the secret is missing; the message says
     *                               what to do and holds no part of the secret
     */
    static List<Secret> read(URI vaultUrl, UnaryOperator<SecretClientBuilder> complete) {
        String vault = vaultUrl.getHost();
        String value;
        try {
            SecretClient client = complete.apply(new SecretClientBuilder().vaultUrl(vaultUrl.toString())).buildClient();
            value = client.getSecret(SECRET_NAME).getValue();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("the vault " + vault + " has no secret " + SECRET_NAME
                    + " (the template's secret behind TENANT_TOKEN_KEYS); is it the pipeline's vault (the template's"
                    + " output keyVaultName)?");
        } catch (HttpResponseException e) {
            // ClientAuthenticationException too: without a response it is the credential that failed
            if (e.getResponse() == null) {
                throw new IllegalStateException("no Azure sign-in to read the vault " + vault + " with: sign in with"
                        + " `az login` (DefaultAzureCredential also takes AZURE_CLIENT_ID, AZURE_TENANT_ID and"
                        + " AZURE_CLIENT_SECRET, or a managed identity)");
            }
            int status = e.getResponse().getStatusCode();
            if (status == 401 || status == 403) {
                throw new IllegalStateException("you may not read the secrets of the vault " + vault + " (HTTP "
                        + status + "): it uses Azure RBAC, where even Owner cannot read secrets; give yourself the"
                        + " role \"Key Vault Secrets User\" on the vault, wait a minute, and try again");
            }
            throw new IllegalStateException("the vault " + vault + " answered HTTP " + status + " to reading "
                    + SECRET_NAME);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the vault " + vault + ": " + firstLine(e));
        }
        try {
            return Settings.from(Map.of(Settings.TENANT_TOKEN_KEYS, value == null ? "" : value)).tenantTokenKeys();
        } catch (SettingsException e) {
            throw new IllegalStateException("the secret " + SECRET_NAME + " in the vault " + vault + " holds no key");
        }
    }

    /** The first line of the innermost message: the SDK's own can run to many lines, and never holds the secret. */
    private static String firstLine(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
