package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/pipeline/deploy-package.sh against a fake az: it uploads the release with the pipeline's identity to the
 * template's package container, points the staging slot (and only it, not sticky) at that blob, and syncs the slot's
 * triggers; when the upload fails, the slot is left alone.
 */
class DeployPackageScriptTest {

    static final String CONTAINER = "https://alertrelaypkgabc123.blob.core.windows.net/releases";

    @TempDir
    Path dir;
    private Path bin;
    private Path log;
    private Path zip;

    @BeforeEach
    void fakes() throws IOException {
        NodeTool.require(SmokeTestScriptTest.commandWorks("bash", "--version")
                && SmokeTestScriptTest.commandWorks("sha256sum", "--version"), "bash and sha256sum");
        bin = dir.resolve("bin");
        log = dir.resolve("az.log");
        Scripts.fakeAz(bin);
        zip = dir.resolve("alert-relay.zip");
        Files.write(zip, "PK fake release".getBytes());
    }

    @Test
    void uploadsWithItsOwnIdentityThenPointsStagingAtTheBlobAndSyncsItsTriggers() {
        NodeTool.Result result = run(Map.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
        List<List<String>> calls = Scripts.calls(log);
        assertThat(calls).hasSize(3);

        List<String> upload = calls.get(0);
        assertThat(upload.subList(0, 3)).containsExactly("storage", "blob", "upload");
        assertThat(Scripts.option(upload, "--auth-mode")).isEqualTo("login");
        assertThat(Scripts.option(upload, "--account-name")).isEqualTo("alertrelaypkgabc123");
        assertThat(Scripts.option(upload, "--container-name")).isEqualTo("releases");
        assertThat(Scripts.option(upload, "--file")).isEqualTo(zip.toString());
        String blob = Scripts.option(upload, "--name");
        assertThat(blob).matches("alert-relay-0123456789ab-[0-9a-f]{16}\\.zip");
        assertThat(upload).doesNotContain("--account-key", "--sas-token", "--connection-string");

        List<String> setting = calls.get(1);
        assertThat(setting.subList(0, 4)).containsExactly("functionapp", "config", "appsettings", "set");
        assertThat(Scripts.option(setting, "--slot")).isEqualTo("staging");
        assertThat(Scripts.option(setting, "--name")).isEqualTo("alertrelay-app");
        assertThat(Scripts.option(setting, "--settings")).isEqualTo("WEBSITE_RUN_FROM_PACKAGE=" + CONTAINER + "/" + blob);
        assertThat(setting).as("not a slot setting: the package moves with a swap").doesNotContain("--slot-settings");

        List<String> sync = calls.get(2);
        assertThat(sync.get(0)).isEqualTo("rest");
        assertThat(Scripts.option(sync, "--method")).isEqualTo("post");
        assertThat(Scripts.option(sync, "--url")).isEqualTo("https://management.azure.com/subscriptions/sub-id/resourceGroups/"
                + "alert-relay/providers/Microsoft.Web/sites/alertrelay-app/slots/staging/syncfunctiontriggers?api-version=2024-11-01");
        assertThat(result.output()).contains("staging now runs " + CONTAINER + "/" + blob);
    }

    @Test
    void theSameBytesGetTheSameNameAndOtherBytesAnotherOne() throws IOException {
        assertThat(run(Map.of()).exitCode()).isZero();
        assertThat(run(Map.of()).exitCode()).isZero();
        Files.write(zip, "PK another release".getBytes());
        assertThat(run(Map.of()).exitCode()).isZero();
        List<String> names = Scripts.calls(log).stream().filter(c -> c.get(0).equals("storage"))
                .map(c -> Scripts.option(c, "--name")).toList();
        assertThat(names).hasSize(3);
        assertThat(names.get(0)).isEqualTo(names.get(1)).isNotEqualTo(names.get(2));
    }

    @Test
    void aFailedUploadLeavesTheSlotAlone() {
        NodeTool.Result result = run(Map.of("FAKE_AZ_FAIL", "storage"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(Scripts.calls(log)).hasSize(1);
        assertThat(Scripts.calls(log).get(0).subList(0, 3)).containsExactly("storage", "blob", "upload");
    }

    @Test
    void aContainerUrlThatIsNotABlobContainerIsRefused() {
        NodeTool.Result result = run(Map.of("PACKAGE_CONTAINER_URL", "https://example.com/releases?sig=x"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("PACKAGE_CONTAINER_URL must be https://<account>.blob.<suffix>/<container>");
        assertThat(Scripts.calls(log)).isEmpty();
    }

    private NodeTool.Result run(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("FAKE_AZ_LOG", log.toString(),
                "AZURE_SUBSCRIPTION_ID", "sub-id", "AZURE_RESOURCE_GROUP", "alert-relay",
                "FUNCTION_APP_NAME", "alertrelay-app", "PACKAGE_CONTAINER_URL", CONTAINER,
                "BITBUCKET_COMMIT", "0123456789abcdef0123456789abcdef01234567"));
        env.putAll(extra);
        return Scripts.bash(Scripts.script("deploy-package.sh"), List.of(zip.toString()), env, bin, 60);
    }
}
