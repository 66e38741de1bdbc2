package io.alertrelay.local.cli;

import io.alertrelay.local.Banner;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code run}: starts the pipeline, prints the banner, and on Ctrl-C stops it gracefully. */
final class RunCommand {

    static final String USAGE = "run [--port 7071] [--data-dir DIR] [--tenant demo]";

    private RunCommand() {
    }

    static int run(List<String> args, Path projectDir, PrintStream out) throws InterruptedException {
        Arguments a = Arguments.parse(args, Set.of("port", "data-dir", "tenant"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("run takes no arguments besides options");
        }
        RuntimeOptions.Builder options = RuntimeOptions.forProject(projectDir)
                .httpPort(a.intOption("port", RuntimeOptions.DEFAULT_HTTP_PORT, 0));
        String dataDir = a.option("data-dir", null);
        if (dataDir != null) {
            options.dataDir(Path.of(dataDir));
        }
        String tenant = a.option("tenant", "demo");
        ProjectTokens.tokenFor(projectDir, tenant); // validates the tenant before anything starts

        LocalRuntime runtime = LocalRuntime.start(options.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nStopping: finishing requests and deliveries under way …");
            runtime.close();
            out.println("Stopped. Queued messages, documents and logs are in " + runtime.dataDir());
            out.flush();
            stopped.countDown();
        }, "alert-relay-stop"));
        out.println(Banner.of(runtime, tenant, Path.of("").toAbsolutePath()));
        out.flush();
        stopped.await(); // until Ctrl-C: the JVM runs the hook, then exits
        return 0;
    }
}
