package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.LocalSettings;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.Settings;
import java.nio.file.Path;
import java.util.List;

/** Tenant tokens as the running pipeline computes them: the first key of TENANT_TOKEN_KEYS in the project's settings. */
public final class ProjectTokens {

    private ProjectTokens() {
    }

    public static String tokenFor(Path projectDir, String tenant) {
        return tokenFor(LocalSettings.load(projectDir), tenant);
    }

    static String tokenFor(LocalSettings settings, String tenant) {
        Settings s = Settings.from(settings.values());
        FunctionRequirements.require(s, "AlertWebhook", Need.TENANT_TOKEN_KEYS);
        return tokenFor(s.tenantTokenKeys(), tenant);
    }

    static String tokenFor(List<Secret> keys, String tenant) {
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new IllegalArgumentException(invalidTenant(tenant));
        }
        return new TenantTokens(keys).tokenFor(tenant);
    }

    static String invalidTenant(String tenant) {
        return "tenant must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63"
                + " characters: " + tenant;
    }

    /** The project's settings, each warning (a setting name nothing reads) printed once on standard error. */
    static LocalSettings settings(CommandEnvironment env) {
        LocalSettings settings = LocalSettings.load(env.projectDir());
        settings.warnings().forEach(env::warn);
        return settings;
    }
}
