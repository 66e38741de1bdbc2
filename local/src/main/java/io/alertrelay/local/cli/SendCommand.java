package io.alertrelay.local.cli;

import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code send FILE|DIR ...}: posts each JSON file (a directory: its *.json files, in name order) to a running
 * pipeline's webhook, as Azure Monitor would, and prints each answer. Exit status 1 when any was not accepted.
 */
final class SendCommand {

    static final String USAGE = "send FILE|DIR... [--url http://127.0.0.1:7071] [--tenant demo] [--token TOKEN]";

    private SendCommand() {
    }

    static int run(List<String> args, Path projectDir, PrintStream out) throws InterruptedException {
        Arguments a = Arguments.parse(args, Set.of("url", "tenant", "token"));
        if (a.positional().isEmpty()) {
            throw new UsageException("send needs a file or a directory");
        }
        String tenant = a.option("tenant", "demo");
        String token = a.option("token", null);
        if (token == null) {
            token = ProjectTokens.tokenFor(projectDir, tenant);
        }
        URI webhook = URI.create(a.option("url", "http://127.0.0.1:7071")).resolve("/api/alerts/" + tenant
                + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int notAccepted = 0;
        for (Path file : files(a.positional())) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(webhook)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
                out.println(file.getFileName() + " → " + r.statusCode() + " " + r.body().replaceAll("\\s+", " "));
                if (r.statusCode() != 202) {
                    notAccepted++;
                }
            } catch (ConnectException e) {
                out.println(file.getFileName() + " → nothing listens at " + webhook.getHost() + ":" + webhook.getPort()
                        + " (is ./alert-relay run running?)");
                return 1;
            } catch (IOException e) {
                out.println(file.getFileName() + " → failed: " + e.getMessage());
                notAccepted++;
            }
        }
        if (notAccepted > 0) {
            out.println(notAccepted + " not accepted");
        }
        return notAccepted == 0 ? 0 : 1;
    }

    private static List<Path> files(List<String> names) {
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            Path p = Path.of(name);
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UsageException("cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UsageException("no such file or directory: " + p);
            }
        }
        return files;
    }
}
