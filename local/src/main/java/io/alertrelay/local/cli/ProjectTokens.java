package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.LocalSettings;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Settings;
import java.nio.file.Path;

/** Tenant tokens as the running pipeline computes them: the first key of TENANT_TOKEN_KEYS in the project's settings. */
public final class ProjectTokens {

    private ProjectTokens() {
    }

    public static String tokenFor(Path projectDir, String tenant) {
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new IllegalArgumentException("tenant must be lower-case letters, digits and dashes, starting with a letter "
                    + "or digit, at most 63 characters: " + tenant);
        }
        Settings settings = Settings.from(LocalSettings.load(projectDir).values());
        FunctionRequirements.require(settings, "AlertWebhook", Need.TENANT_TOKEN_KEYS);
        return new TenantTokens(settings.tenantTokenKeys()).tokenFor(tenant);
    }
}
