package io.alertrelay.local.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Short requests to a running pipeline's HTTP host (status page, health, the receiver's outage switch). */
final class PipelineClient {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PipelineClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** GET of a path on the pipeline's host; nothing listening is a {@link PipelineUnreachableException}. */
    HttpResponse<String> get(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), base);
    }

    /** An empty POST to {@code uri}, which a pipeline at {@link #base()} named. */
    HttpResponse<String> post(URI uri) throws InterruptedException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), uri);
    }

    /** A JSON POST to a path on the pipeline's host, with extra headers (a function key). */
    HttpResponse<String> postJson(String path, String json, java.util.Map<String, String> headers)
            throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request, base);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI target) throws InterruptedException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new PipelineUnreachableException(target);
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException(PipelineUnreachableException.hostAndPort(target) + " did not answer within"
                    + " 30 s");
        } catch (IOException e) {
            throw new IllegalStateException(PipelineUnreachableException.hostAndPort(target) + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The URL option of send, load and outage: http(s) with a host. */
    static boolean isPipelineUrl(URI uri) {
        return uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme()));
    }
}
