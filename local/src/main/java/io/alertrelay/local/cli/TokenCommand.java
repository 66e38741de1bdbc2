package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.LocalSettings;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code token TENANT}: the tenant's webhook token, {@code base64url(HMAC-SHA256(key, tenant))} with the first key of
 * TENANT_TOKEN_KEYS — the project's settings (the local development key) unless the key comes from a pipeline's Key
 * Vault ({@code --key-from-vault}) or from standard input ({@code --key -}). Only the token is printed; the key never
 * is, nor echoed when typed.
 */
@Command(name = "token", sortOptions = false,
        header = "print a tenant's webhook token (local key, a Key Vault's, or one typed)",
        description = {"Prints a tenant's webhook token: base64url(HMAC-SHA256(key, tenant)), unpadded, with the "
                + "first (current) key of TENANT_TOKEN_KEYS.",
            "Without an option the key is the project's settings' (local.settings*.json): the local development key, "
                + "good for ./alert-relay run only. For a pipeline in Azure take the key from its Key Vault, or type "
                + "it.", ""})
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @Parameters(paramLabel = "TENANT", description = "lower-case letters, digits and dashes, e.g. contoso")
    String tenant;

    @ArgGroup(exclusive = true)
    KeySource source;

    /** Where the key comes from: at most one of these. */
    static final class KeySource {
        @Option(names = "--key-from-vault", paramLabel = "VAULT",
                description = {"read the secret " + VaultKeys.SECRET_NAME + " (behind the app setting "
                        + "TENANT_TOKEN_KEYS) from this Key Vault — its name (the template's output keyVaultName) or "
                        + "https URL — signed in with DefaultAzureCredential (e.g. az login); needs the role "
                        + "Key Vault Secrets User on the vault"})
        String vault;

        @Option(names = "--key", paramLabel = "-",
                description = "read the key (or the whole comma-separated TENANT_TOKEN_KEYS value) from standard "
                        + "input; from a terminal it is asked for without echo. Only '-' is taken: a key on the "
                        + "command line would stay in the shell's history")
        String key;

        @Option(names = "--key-stdin", description = "the same as --key -")
        boolean keyStdin;
    }

    private final CommandEnvironment env;

    TokenCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new ParameterException(spec.commandLine(), ProjectTokens.invalidTenant(tenant));
        }
        List<Secret> keys;
        if (source != null && source.vault != null) {
            URI vault = VaultKeys.vaultUrl(source.vault).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "--key-from-vault takes a vault name (3-24 letters, digits and dashes) or its https:// URL: "
                            + source.vault));
            keys = VaultKeys.read(vault, env.vaultClient());
        } else if (source != null && (source.keyStdin || source.key != null)) {
            if (source.key != null && !source.key.equals("-")) {
                throw new ParameterException(spec.commandLine(), "--key takes only '-' (the key is read from standard "
                        + "input): a key on the command line would stay in the shell's history and the process list");
            }
            keys = keysFromInput();
        } else {
            LocalSettings settings = ProjectTokens.settings(env);
            Settings values = Settings.from(settings.values());
            FunctionRequirements.require(values, "AlertWebhook", Need.TENANT_TOKEN_KEYS);
            keys = values.tenantTokenKeys();
            Path origin = settings.origin(Settings.TENANT_TOKEN_KEYS).orElse(null);
            if (origin != null && origin.getFileName().toString().equals(LocalSettings.SAMPLE_FILE)) {
                env.err().println("alert-relay: note: made with the development key of " + LocalSettings.SAMPLE_FILE
                        + ", for ./alert-relay run; for a pipeline in Azure use --key-from-vault VAULT");
            }
        }
        env.out().println(new TenantTokens(keys).tokenFor(tenant));
        return Commands.OK;
    }

    /** The key typed at a terminal (no echo) or piped in; a list takes its first entry, as TENANT_TOKEN_KEYS does. */
    private List<Secret> keysFromInput() {
        String value;
        if (env.console() != null) {
            char[] typed = env.console().readPassword("TENANT_TOKEN_KEYS key (not shown): ");
            value = typed == null ? "" : new String(typed);
            if (typed != null) {
                Arrays.fill(typed, ' ');
            }
        } else {
            value = readAll(env.in());
        }
        List<Secret> keys = Settings.from(Map.of(Settings.TENANT_TOKEN_KEYS, value.strip())).tenantTokenKeys();
        if (keys.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no key on standard input (--key -)");
        }
        return keys;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read standard input: " + e.getMessage());
        }
    }
}
