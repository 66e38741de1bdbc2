package io.alertrelay.local.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page open in headless chromium that a test can act on, as a person would, through the DevTools protocol over
 * the JDK's WebSocket client: evaluate script in the page (click a button) and read what it shows.
 * ("Chrome DevTools Protocol", https://chromedevtools.github.io/devtools-protocol/tot/Runtime/#method-evaluate)
 */
final class BrowserPage implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process browser;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending;
    private final AtomicInteger ids = new AtomicInteger();

    private BrowserPage(Process browser, WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> pending) {
        this.browser = browser;
        this.socket = socket;
        this.pending = pending;
    }

    /** Starts chromium (with {@code baseArguments}) on {@code page} and attaches to it. */
    static BrowserPage open(java.util.List<String> baseArguments, URI page) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(baseArguments);
        command.addAll(java.util.List.of("--remote-debugging-port=0", "--remote-allow-origins=*", page.toString()));
        Process browser = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browserSocket = listeningOn(browser);
            URI list = URI.create("http://" + browserSocket.getAuthority() + "/json/list");
            Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(pageSocket(list)), new Listener(pending)).get(30, TimeUnit.SECONDS);
            return new BrowserPage(browser, socket, pending);
        } catch (Exception e) {
            browser.destroyForcibly();
            throw new IOException("cannot attach to chromium: " + e.getMessage(), e);
        }
    }

    /** The value of {@code expression} in the page (awaited when it is a promise), as text. */
    String evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode call = Json.object().put("id", id).put("method", "Runtime.evaluate");
        call.putObject("params").put("expression", expression).put("returnByValue", true).put("awaitPromise", true);
        socket.sendText(Json.write(call), true).get(10, TimeUnit.SECONDS);
        JsonNode result = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (result.has("error") || result.path("result").has("exceptionDetails")) {
            throw new AssertionError("script failed in the page: " + result);
        }
        return result.path("result").path("result").path("value").asText();
    }

    /**
     * Evaluates {@code expression} until its value passes {@code done} (a script error, as before the page has
     * loaded, counts as not yet); the last value otherwise fails.
     */
    String await(String expression, Predicate<String> done) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            String value;
            try {
                value = evaluate(expression);
            } catch (AssertionError notYet) {
                value = notYet.getMessage();
            }
            if (done.test(value)) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the page still shows '" + value + "' for " + expression);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        socket.abort();
        browser.destroy();
        try {
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            browser.destroyForcibly();
        }
    }

    private static URI listeningOn(Process browser) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> drain(err), "chromium-stderr");
                drain.setDaemon(true);
                drain.start(); // a full pipe would stall the browser
                return URI.create(m.group(1));
            }
        }
        throw new IOException("chromium ended without opening its DevTools port");
    }

    private static void drain(BufferedReader err) {
        try {
            while (err.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the browser closed
        }
    }

    private static String pageSocket(URI list) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode targets = Json.readTree(http.send(HttpRequest.newBuilder(list).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asText()) && target.hasNonNull("webSocketDebuggerUrl")) {
                    return target.path("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("chromium opened no page");
    }

    /** Collects each message (maybe in parts) and completes the call it answers. */
    private static final class Listener implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> pending;
        private final StringBuilder parts = new StringBuilder();

        Listener(Map<Integer, CompletableFuture<JsonNode>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                JsonNode message = Json.readTree(parts.toString());
                parts.setLength(0);
                CompletableFuture<JsonNode> call = pending.remove(message.path("id").asInt(-1));
                if (call != null) {
                    call.complete(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
