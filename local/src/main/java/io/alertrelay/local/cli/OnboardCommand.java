package io.alertrelay.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.ProbeTenant;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.LocalSettings;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * {@code onboard TENANT --url https://APP.azurewebsites.net [--function-key K]}: prints the deployment parameters file of
 * {@code infra/onboarding/customer-subscription.json} for one tenant — the tenant's webhook URL,
 * {@code <url>/api/alerts/<tenant>?token=<token>&code=<K>}, with the token made from the first key of TENANT_TOKEN_KEYS
 * (from the same places as {@code token}: a pipeline's Key Vault, standard input, or the project's settings) — which
 * the customer deploys into their own subscription (docs/onboarding.md). Only the file is printed; notes go to
 * standard error.
 */
@Command(name = "onboard", sortOptions = false,
        header = "print a customer's onboarding parameters file (the tenant's webhook URL, the rules to deploy)",
        description = {"Prints the deployment parameters file of infra/onboarding/customer-subscription.json for one "
                + "tenant: the webhook URL <url>/api/alerts/<tenant>?token=<token>&code=<function key>, with the "
                + "token made from the first key of TENANT_TOKEN_KEYS, and the switches of the rule groups. The "
                + "customer deploys the template with it into a resource group of their own subscription "
                + "(docs/onboarding.md).",
            "The key comes from the same places as for 'token': a pipeline's Key Vault (--key-from-vault), standard "
                + "input (--key -), else the project's settings (the local development key, good for "
                + "./alert-relay run only).",
            "For example: ./alert-relay onboard contoso --url https://APP.azurewebsites.net --function-key \"$KEY\" "
                + "--key-from-vault VAULT > contoso.parameters.json", ""})
final class OnboardCommand implements Callable<Integer> {

    /** Microsoft's schema of a deployment parameters file (the one infra/validate checks parameters files with). */
    static final String PARAMETERS_SCHEMA =
            "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
    /** The switches of infra/onboarding/customer-subscription.json, each printed as true so it can be turned off. */
    static final List<String> RULE_GROUPS = List.of("includeDeployments", "includeAutoscale", "includeServiceHealth",
            "includeResourceHealth");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @Parameters(paramLabel = "TENANT", description = "the customer's tenant: lower-case letters, digits and dashes, "
            + "e.g. contoso")
    String tenant;

    @Option(names = "--url", paramLabel = "URL", required = true,
            description = "the function app's address without a path, e.g. https://APP.azurewebsites.net (APP: "
                    + "the template's output functionAppName). https is required except on loopback; no query, no "
                    + "fragment")
    String url;

    @Option(names = "--function-key", paramLabel = "K",
            description = {"AlertWebhook's own function key, added as code=K: az functionapp function keys list "
                    + "--function-name AlertWebhook (or a key made for this tenant with az functionapp function "
                    + "keys set). Never a host key: a host key opens every function-level function of the app. "
                    + "Without it the URL has no code=, which only a local pipeline accepts"})
    String functionKey;

    @ArgGroup(exclusive = true)
    TokenCommand.KeySource source;

    private final CommandEnvironment env;

    OnboardCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new ParameterException(spec.commandLine(), ProjectTokens.invalidTenant(tenant));
        }
        if (ProbeTenant.is(tenant)) {
            throw new ParameterException(spec.commandLine(), "the tenant " + ProbeTenant.NAME + " is reserved for "
                    + "the deployment probe (infra/pipeline/probe.sh): every notification posted for it becomes an "
                    + "io.alertrelay.probe event, which the platform ignores; choose another name");
        }
        URI base = baseUrl(url);
        if (functionKey != null && (functionKey.isBlank() || !functionKey.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new ParameterException(spec.commandLine(), "--function-key must be the key as Azure shows it, "
                    + "printable characters without spaces (az functionapp function keys list --function-name "
                    + "AlertWebhook)");
        }
        List<Secret> keys = keys();
        String token = new TenantTokens(keys).tokenFor(tenant);
        String webhook = base.toString() + "/api/alerts/" + tenant + "?token=" + encode(token)
                + (functionKey == null ? "" : "&code=" + encode(functionKey));
        if (functionKey == null && !isLoopback(base.getHost())) {
            env.err().println("alert-relay: note: no --function-key, so the URL has no code=: a function app in Azure"
                    + " answers 401 to it (AlertWebhook is authLevel function) and Azure Monitor does not retry a 401;"
                    + " only ./alert-relay run accepts it");
        }
        env.out().println(parametersFile(tenant, webhook));
        return Commands.OK;
    }

    /** The deployment parameters file: $schema, contentVersion and the template's parameters, in its order. */
    static String parametersFile(String tenant, String webhookUrl) {
        ObjectNode file = JSON.createObjectNode();
        file.put("$schema", PARAMETERS_SCHEMA);
        file.put("contentVersion", "1.0.0.0");
        ObjectNode parameters = file.putObject("parameters");
        parameters.putObject("tenant").put("value", tenant);
        parameters.putObject("webhookUrl").put("value", webhookUrl);
        RULE_GROUPS.forEach(group -> parameters.putObject(group).put("value", true));
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return JSON.writer(printer).writeValueAsString(file);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings always serialises
        }
    }

    /** The function app's address: https (http on loopback only), a host, no path, no query, no fragment. */
    private URI baseUrl(String given) {
        URI uri;
        try {
            uri = new URI(given);
        } catch (URISyntaxException e) {
            throw bad("--url is not a valid URL (" + e.getReason() + "): " + given);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw bad("--url must be the function app's address, https://<app>.azurewebsites.net: " + given);
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw bad("--url must use https (Azure Monitor would send the token and the function key in clear; http "
                    + "is for a pipeline on this machine only): " + given);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad("--url must have no query or fragment: the command adds the tenant's path, token and code: "
                    + given);
        }
        if (uri.getRawUserInfo() != null) {
            throw bad("--url must have no user name or password: " + given);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/")) {
            throw bad("--url is the function app's address without a path (the command adds /api/alerts/<tenant>): "
                    + given);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** 127.0.0.0/8, ::1 and localhost: where ./alert-relay run listens. Decided from the text, never by a DNS look-up. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]") || h.equals("::1")) {
            try {
                return InetAddress.getByName(h.replace("[", "").replace("]", "")).isLoopbackAddress();
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** The keys of TENANT_TOKEN_KEYS, from where the options say, as {@code token} takes them. */
    private List<Secret> keys() {
        if (source != null && source.vault != null) {
            URI vault = VaultKeys.vaultUrl(source.vault).orElseThrow(() -> bad(
                    "--key-from-vault takes a vault name (3-24 letters, digits and dashes) or its https:// URL: "
                            + source.vault));
            return VaultKeys.read(vault, env.vaultClient());
        }
        if (source != null && (source.keyStdin || source.key != null)) {
            if (source.key != null && !source.key.equals("-")) {
                throw bad("--key takes only '-' (the key is read from standard input): a key on the command line "
                        + "would stay in the shell's history and the process list");
            }
            return keysFromInput();
        }
        LocalSettings settings = ProjectTokens.settings(env);
        Settings values = Settings.from(settings.values());
        FunctionRequirements.require(values, "AlertWebhook", Need.TENANT_TOKEN_KEYS);
        Path origin = settings.origin(Settings.TENANT_TOKEN_KEYS).orElse(null);
        if (origin != null && origin.getFileName().toString().equals(LocalSettings.SAMPLE_FILE)) {
            env.err().println("alert-relay: note: the token is made with the development key of "
                    + LocalSettings.SAMPLE_FILE + ", for ./alert-relay run; a pipeline in Azure answers 401 to it: "
                    + "use --key-from-vault VAULT");
        }
        return values.tenantTokenKeys();
    }

    /** The key typed at a terminal (no echo) or piped in; a list gives its first entry, as TENANT_TOKEN_KEYS does. */
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
            throw bad("no key on standard input (--key -)");
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
