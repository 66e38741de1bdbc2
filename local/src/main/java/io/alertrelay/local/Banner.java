package io.alertrelay.local;

import java.nio.file.Path;

/**
 * What {@code run} prints once the pipeline is up: the demo tenant's webhook URL (with its token — the only secret
 * shown, and only the local one), a curl that posts the bundled sample, where everything lives, how to stop.
 */
public final class Banner {

    public static final String SAMPLE = "local/samples/demo-metric-alert.json";
    private static final String DEFAULT_URL = "http://127.0.0.1:" + RuntimeOptions.DEFAULT_HTTP_PORT;

    private Banner() {
    }

    public static String of(LocalRuntime runtime, String tenant, Path workingDir) {
        String webhook = runtime.webhookUri(tenant).toString();
        String sample = shown(runtime.projectDir().resolve(SAMPLE), workingDir);
        StringBuilder b = new StringBuilder();
        b.append('\n').append("Alert Relay is running on this machine (settings: ")
                .append(LocalSettings.describe(runtime.settingsFiles(), workingDir)).append(")\n\n");
        b.append("  Webhook for tenant \"").append(tenant).append("\":\n    ").append(webhook).append("\n");
        b.append("  Status page:  ").append(runtime.baseUri()).append("/\n");
        b.append("  Health:       ").append(runtime.baseUri()).append("/api/health\n\n");
        b.append("  Post the bundled sample:\n");
        b.append("    curl -i -X POST '").append(webhook).append("' \\\n");
        b.append("         -H 'Content-Type: application/json' --data-binary @").append(sample).append("\n");
        String url = runtime.baseUri().toString().equals(DEFAULT_URL) ? "" : " --url " + runtime.baseUri();
        String tenantOption = tenant.equals("demo") ? "" : " --tenant " + tenant;
        b.append("    or: ./alert-relay send").append(url).append(tenantOption).append(' ').append(sample).append("\n\n");
        if (runtime.receiver().isPresent()) {
            b.append("  Watch retries and the dead-letter queue (a platform outage):\n");
            b.append("    ./alert-relay outage on").append(url).append('\n');
            b.append("    ./alert-relay send --unique").append(url).append(tenantOption).append(' ').append(sample)
                    .append('\n');
            b.append("    ./alert-relay outage off").append(url).append('\n');
            b.append("    (--unique: a fresh alert id; the same sample again would be a duplicate, dropped by Service Bus)\n\n");
        }
        b.append("  Services:\n");
        for (String service : runtime.services()) {
            b.append("    ").append(service.replace(runtime.dataDir().toString(),
                    shown(runtime.dataDir(), workingDir))).append('\n');
        }
        b.append("  Data:         ").append(shown(runtime.dataDir(), workingDir))
                .append("/ (delete it to start afresh)\n\n");
        b.append("  Stop with Ctrl-C: requests and deliveries under way finish, queued messages are saved,\n");
        b.append("  logs are flushed.\n");
        return b.toString();
    }

    /** A path as short as it can be pasted from where the user is. */
    static String shown(Path path, Path workingDir) {
        Path absolute = path.toAbsolutePath().normalize();
        Path cwd = workingDir.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute).toString()
                : absolute.toString();
    }
}
