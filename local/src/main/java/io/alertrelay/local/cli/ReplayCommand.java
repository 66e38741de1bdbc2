package io.alertrelay.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: asks a running pipeline's Replay function ({@code POST /api/replay}) to publish stored events
 * again, page after page, and prints one line per event and then {@code replay: N events}. The filter is checked by
 * the function: a bad one is exit status 2 with its one-line reason.
 */
@Command(name = "replay", sortOptions = false,
        header = "publish stored events again: dead-lettered ones after an outage, or a window the platform lost",
        description = {"Selects stored events by tenant, status, a window on the event's time, or ids, and publishes "
                + "each again under a new message id: the dequeuer delivers it even when it was delivered before, "
                + "once per replay, with the same event id, webhook-id and Idempotency-Key. Dead-lettered events "
                + "leave the dead-letter queue. Prints one line per event, then 'replay: N events'.", ""})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:7071",
            description = "the function app (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "only this tenant's events (default: every tenant)")
    String tenant;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "deadlettered, rejected, superseded or delivered; repeat for several (default: all four)")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--since", paramLabel = "ISO-8601",
            description = "events that happened at or after this UTC time, e.g. 2026-11-30T14:00:00Z")
    String since;

    @Option(names = "--until", paramLabel = "ISO-8601", description = "events that happened before this UTC time")
    String until;

    @Option(names = "--id", paramLabel = "ID", description = "this event; repeat for several (up to 1,000)")
    List<String> ids = new ArrayList<>();

    @Option(names = "--dry-run", description = "list what would be replayed; publish nothing")
    boolean dryRun;

    @Option(names = "--function-key", paramLabel = "-",
            description = "read the function app's master key from standard input (from a terminal it is asked for "
                    + "without echo) and send it as x-functions-key; needed in Azure, not locally")
    String functionKey;

    private final CommandEnvironment env;

    ReplayCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!PipelineClient.isPipelineUrl(url)) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address: " + url);
        }
        Map<String, String> headers = functionKey == null ? Map.of() : Map.of("x-functions-key", masterKey());
        PipelineClient pipeline = new PipelineClient(url);
        int events = 0;
        String continuation = null;
        do {
            JsonNode page = post(pipeline, body(continuation), headers);
            for (JsonNode id : page.path("ids")) {
                env.out().println((dryRun ? "would replay " : "replayed ") + id.asText());
                events++;
            }
            for (JsonNode id : page.path("unmatched")) {
                env.err().println("alert-relay: no replayable event " + id.asText() + " matches the filter");
            }
            continuation = page.path("continuation").isTextual() ? page.path("continuation").asText() : null;
        } while (continuation != null);
        env.out().println("replay: " + events + " events");
        return Commands.OK;
    }

    private String body(String continuation) {
        ObjectNode body = Json.object();
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        if (!statuses.isEmpty()) {
            ArrayNode s = body.putArray("status");
            statuses.forEach(s::add);
        }
        if (since != null) {
            body.put("since", since);
        }
        if (until != null) {
            body.put("until", until);
        }
        if (!ids.isEmpty()) {
            ArrayNode i = body.putArray("ids");
            ids.forEach(i::add);
        }
        body.put("dryRun", dryRun);
        if (continuation != null) {
            body.put("continuation", continuation);
        }
        return Json.write(body);
    }

    private JsonNode post(PipelineClient pipeline, String body, Map<String, String> headers)
            throws InterruptedException {
        HttpResponse<String> response = pipeline.postJson("/api/replay", body, headers);
        JsonNode json = parse(response.body());
        if (response.statusCode() == 400) {
            throw new RejectedRequestException(json.path("field").asText("filter") + ": "
                    + json.path("detail").asText(response.body()));
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the Replay function answered " + response.statusCode()
                    + (json.hasNonNull("detail") ? ": " + json.path("detail").asText() : ""));
        }
        return json;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? Json.object() : Json.readTree(body);
        } catch (IllegalArgumentException e) {
            return Json.object();
        }
    }

    /** The master key, typed without echo or piped in; never printed. */
    private String masterKey() {
        if (!"-".equals(functionKey)) {
            throw new ParameterException(spec.commandLine(), "--function-key takes only '-' (standard input): a key "
                    + "on the command line would stay in the shell's history");
        }
        String value;
        if (env.console() != null) {
            char[] typed = env.console().readPassword("master key (not shown): ");
            value = typed == null ? "" : new String(typed);
            if (typed != null) {
                Arrays.fill(typed, ' ');
            }
        } else {
            try {
                value = new String(env.in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read standard input: " + e.getMessage());
            }
        }
        if (value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no key on standard input (--function-key -)");
        }
        return value.strip();
    }
}
