package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code send FILE|DIR ...}: posts each JSON file (a directory: its *.json files, in name order) to a running
 * pipeline's webhook, as Azure Monitor would, and prints each answer. Exit status 1 when any was not accepted.
 */
@Command(name = "send", sortOptions = false,
        header = "post Azure Monitor notifications to a running pipeline and print each answer",
        description = {"Posts Azure Monitor notifications to a running pipeline's webhook, as an action group "
                + "would, and prints each answer (202 once the message is on Service Bus).", ""})
final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*",
            description = "JSON notifications; a directory stands for its *.json files, in name order")
    List<Path> names;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:7071",
            description = "the running pipeline (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "demo",
            description = "the tenant to post for (default ${DEFAULT-VALUE})")
    String tenant;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "the tenant's token (default: made with the first key of TENANT_TOKEN_KEYS in the "
                    + "project's settings, as the local pipeline checks it)")
    String token;

    @Option(names = "--unique",
            description = {"give each notification a fresh alert id, so it becomes a new event. Without it, posting "
                    + "the same file twice is the same event: Service Bus duplicate detection drops the second "
                    + "message without a word (the webhook still answers 202 with the same id), and nothing more "
                    + "happens; the status page counts such drops."})
    boolean unique;

    private final CommandEnvironment env;

    SendCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!PipelineClient.isPipelineUrl(url)) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address: " + url);
        }
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new ParameterException(spec.commandLine(), ProjectTokens.invalidTenant(tenant));
        }
        List<Path> files = files(names);
        String t = token != null ? token : ProjectTokens.tokenFor(ProjectTokens.settings(env), tenant);
        URI webhook = url.resolve("/api/alerts/" + tenant + "?token=" + URLEncoder.encode(t, StandardCharsets.UTF_8));
        UniqueAlertIds fresh = new UniqueAlertIds(UUID.randomUUID().toString().substring(0, 8));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int notAccepted = 0;
        for (Path file : files) {
            try {
                byte[] body = Files.readAllBytes(file);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(webhook)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(unique ? fresh.apply(body) : body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                env.out().println(file.getFileName() + " → " + r.statusCode() + " " + r.body().replaceAll("\\s+", " "));
                if (r.statusCode() != 202) {
                    notAccepted++;
                }
            } catch (ConnectException e) {
                throw new PipelineUnreachableException(webhook);
            } catch (IOException e) {
                env.out().println(file.getFileName() + " → failed: " + e.getMessage());
                notAccepted++;
            }
        }
        if (notAccepted > 0) {
            env.out().println(notAccepted + " not accepted");
        }
        return notAccepted == 0 ? Commands.OK : Commands.FAILED;
    }

    private List<Path> files(List<Path> names) {
        List<Path> files = new ArrayList<>();
        for (Path p : names) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), "cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new ParameterException(spec.commandLine(), "no such file or directory: " + p);
            }
        }
        if (files.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no *.json file in " + names);
        }
        return files;
    }
}
