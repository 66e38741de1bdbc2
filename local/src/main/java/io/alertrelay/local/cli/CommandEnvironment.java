package io.alertrelay.local.cli;

import com.azure.security.keyvault.secrets.SecretClientBuilder;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the commands work with besides their arguments: the project directory (where local.settings*.json and
 * host.json are), the standard streams, the terminal if there is one (to read a key without echo), and how the Key
 * Vault client is completed ({@code ./alert-relay}: DefaultAzureCredential and the SDK's HTTP client; tests: a
 * credential and a client that trusts their local HTTPS stand-in).
 */
public record CommandEnvironment(Path projectDir, PrintStream out, PrintStream err, InputStream in, Console console,
                                 UnaryOperator<SecretClientBuilder> vaultClient) {

    public CommandEnvironment {
        Objects.requireNonNull(projectDir, "projectDir");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(vaultClient, "vaultClient");
    }

    /** The process's own: System streams, System.console(), DefaultAzureCredential for Key Vault. */
    public static CommandEnvironment system(Path projectDir) {
        return new CommandEnvironment(projectDir, System.out, System.err, System.in, System.console(),
                VaultKeys::defaultCredential);
    }

    /** Streams given, no terminal, DefaultAzureCredential for Key Vault. */
    public static CommandEnvironment of(Path projectDir, PrintStream out, PrintStream err, InputStream in) {
        return new CommandEnvironment(projectDir, out, err, in, null, VaultKeys::defaultCredential);
    }

    public CommandEnvironment withVaultClient(UnaryOperator<SecretClientBuilder> vaultClient) {
        return new CommandEnvironment(projectDir, out, err, in, console, vaultClient);
    }

    /** Prints a warning on standard error, prefixed as every message of the command line is. */
    void warn(String message) {
        err.println("alert-relay: warning: " + message);
    }
}
