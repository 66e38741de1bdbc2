package io.alertrelay.local.runtime;

import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import io.alertrelay.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Local runtimes for tests: a project directory holding copies of the checkout's host.json and
 * local.settings.sample.json (never a developer's local.settings.json, which may name real Azure services), every
 * port 0, small retry budgets so a platform outage dead-letters in seconds.
 */
final class RuntimeHarness {

    static final int MAX_DELIVERY_COUNT = 3;
    static final int PLATFORM_ATTEMPTS = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RuntimeHarness() {
    }

    /** A project directory under {@code dir} with the checkout's host.json and sample settings. */
    static Path project(Path dir) {
        try {
            Path project = Files.createDirectories(dir.resolve("project"));
            Files.copy(root().resolve("host.json"), project.resolve("host.json"));
            Files.copy(root().resolve("local.settings.sample.json"), project.resolve("local.settings.sample.json"));
            return project;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuntimeOptions.Builder options(Path project, Path dataDir) {
        return RuntimeOptions.forProject(project)
                .dataDir(dataDir)
                .httpPort(0)
                .setting(Settings.MAX_DELIVERY_COUNT, String.valueOf(MAX_DELIVERY_COUNT))
                .platformClient(b -> b.maxAttempts(PLATFORM_ATTEMPTS)
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                        .callTimeout(Duration.ofSeconds(3))
                        .timeBudget(Duration.ofSeconds(6)))
                .drainTimeout(Duration.ofSeconds(20));
    }

    static Path root() {
        String configured = System.getProperty("alertrelay.root");
        if (configured != null && Files.isRegularFile(Path.of(configured, "host.json"))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("host.json")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the checkout's root (host.json) is not found");
    }

    static HttpResponse<String> post(LocalRuntime runtime, String tenant, byte[] body) {
        return post(runtime.webhookUri(tenant), body, "application/json");
    }

    static HttpResponse<String> post(URI uri, byte[] body, String contentType) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
