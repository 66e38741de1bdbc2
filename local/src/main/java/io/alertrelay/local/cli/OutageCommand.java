package io.alertrelay.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code outage on|off}: switches the sample platform receiver of a running pipeline into an outage (every delivery
 * answered 503) and back. The receiver listens on a free port; its address is read from the pipeline's
 * {@code /status.json}, so nobody copies it from the banner.
 */
@Command(name = "outage", sortOptions = false,
        header = "switch the sample platform receiver's outage on or off",
        description = {"Switches the sample platform receiver of a running pipeline into an outage (every delivery "
                + "answered 503: the dequeuer retries, the broker redelivers, and after MAX_DELIVERY_COUNT "
                + "deliveries the message is dead-lettered) or back. Post with './alert-relay send --unique' during "
                + "the outage: the bundled sample again would be a duplicate, dropped without a word.", ""})
final class OutageCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The switch's two positions. */
    enum Position { on, off }

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @Parameters(paramLabel = "on|off", description = "on: answer 503 to every delivery; off: accept them again")
    Position position;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:7071",
            description = "the running pipeline (default ${DEFAULT-VALUE})")
    URI url;

    private final CommandEnvironment env;

    OutageCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!PipelineClient.isPipelineUrl(url)) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address: " + url);
        }
        PipelineClient pipeline = new PipelineClient(url);
        HttpResponse<String> status = pipeline.get("/status.json");
        if (status.statusCode() != 200) {
            throw new IllegalStateException(url + "/status.json answered " + status.statusCode()
                    + ": is it an alert-relay run?");
        }
        JsonNode receiver = parse(status.body()).path("receiver");
        if (!receiver.hasNonNull("url")) {
            throw new IllegalStateException("the pipeline at " + PipelineUnreachableException.hostAndPort(url)
                    + " runs no sample receiver: PLATFORM_ENDPOINT_URL names its platform, which this cannot switch");
        }
        URI events = URI.create(receiver.path("url").asText());
        boolean on = position == Position.on;
        HttpResponse<String> switched = pipeline.post(events.resolve("/platform/outage?on=" + on));
        if (switched.statusCode() != 200) {
            throw new IllegalStateException("the sample receiver answered " + switched.statusCode() + ": "
                    + switched.body());
        }
        env.out().println(on
                ? "outage on: the sample receiver (" + events + ") answers 503 to every delivery; end it with"
                        + " ./alert-relay outage off"
                : "outage off: the sample receiver (" + events + ") accepts deliveries again");
        return Commands.OK;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the status page's JSON cannot be read: " + e.getMessage());
        }
    }
}
