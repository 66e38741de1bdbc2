package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.Banner;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code run}: starts the pipeline, prints the banner, and on Ctrl-C stops it gracefully. */
@Command(name = "run", sortOptions = false,
        header = "start the whole pipeline on this machine (webhook on http://127.0.0.1:7071)",
        description = {"Starts the whole pipeline on this machine: the webhook and the status page on "
                + "http://127.0.0.1:PORT, a Service Bus emulator, an H2 store, JSON-lines logs and a sample platform "
                + "receiver; each Azure setting present in local.settings.json replaces its stand-in. Settings: "
                + "local.settings.json merged over local.settings.sample.json.",
            "Ctrl-C stops it gracefully: requests and deliveries under way finish, queued messages are saved.", ""})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + RuntimeOptions.DEFAULT_HTTP_PORT,
            description = "the HTTP port on 127.0.0.1 (0: any free port; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where the store, queued messages, deliveries and logs live (default .alertrelay/ in the "
                    + "checkout; one run per directory)")
    Path dataDir;

    @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "demo",
            description = "the tenant whose webhook URL and curl the banner shows (default ${DEFAULT-VALUE})")
    String tenant;

    private final CommandEnvironment env;

    RunCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be within 0..65535: " + port);
        }
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new ParameterException(spec.commandLine(), ProjectTokens.invalidTenant(tenant));
        }
        ProjectTokens.settings(env); // JSON errors and misspelt names before anything starts
        RuntimeOptions.Builder options = RuntimeOptions.forProject(env.projectDir()).httpPort(port);
        if (dataDir != null) {
            options.dataDir(dataDir);
        }

        LocalRuntime runtime = LocalRuntime.start(options.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            env.out().println("\nStopping: finishing requests and deliveries under way …");
            runtime.close();
            env.out().println("Stopped. Queued messages, documents and logs are in " + runtime.dataDir());
            env.out().flush();
            stopped.countDown();
        }, "alert-relay-stop"));
        env.out().println(Banner.of(runtime, tenant, Path.of("").toAbsolutePath()));
        env.out().flush();
        stopped.await(); // until Ctrl-C: the JVM runs the hook, then exits
        return Commands.OK;
    }
}
