package io.alertrelay.local.cli;

import io.alertrelay.health.HealthReport;
import io.alertrelay.settings.SettingsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@code ./alert-relay} (picocli): {@code run}, {@code send}, {@code token}, {@code load},
 * {@code outage}, {@code replay}, {@code onboard} and {@code help}. Every command takes {@code --help}; options are {@code --name VALUE} or
 * {@code --name=VALUE} everywhere. Exit status: {@value #OK} on success, {@value #FAILED} when the work failed,
 * {@value #USAGE} for a usage or settings error. Errors go to standard error, the line that matters first, never a
 * stack trace.
 */
public final class Commands {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** 128 + SIGINT, as a shell reports a command stopped with Ctrl-C. */
    public static final int INTERRUPTED = 130;

    /** The exit codes, as the help of every command lists them. */
    private static final java.util.Map<String, String> EXIT_CODES = exitCodes();

    private static java.util.Map<String, String> exitCodes() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put("" + OK, "success");
        codes.put("" + FAILED, "the work failed (not accepted, nothing listens, a port or the data directory in use, ...)");
        codes.put("" + USAGE, "a usage or settings error (an unknown option, a bad value, a malformed local.settings*.json)");
        return java.util.Collections.unmodifiableMap(codes);
    }

    private Commands() {
    }

    /** Runs one command with the process's streams and no terminal; returns the exit status. */
    public static int run(List<String> args, Path projectDir, PrintStream out, PrintStream err) {
        return run(args, CommandEnvironment.of(projectDir, out, err, new ByteArrayInputStream(new byte[0])));
    }

    /** Runs one command; returns the exit status. */
    public static int run(List<String> args, CommandEnvironment env) {
        CommandLine line = commandLine(env);
        int status = line.execute(args.toArray(String[]::new));
        line.getOut().flush();
        line.getErr().flush();
        return status;
    }

    static CommandLine commandLine(CommandEnvironment env) {
        CommandLine line = new CommandLine(new AlertRelay(), new Factory(env));
        line.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler(Commands::usageError);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd));
        exitCodesInHelp(line);
        return line;
    }

    private static void exitCodesInHelp(CommandLine line) {
        line.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
        line.getSubcommands().values().forEach(Commands::exitCodesInHelp);
    }

    /** First the one line that says what is wrong, then how the command is used, then where to read more. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("alert-relay: " + firstLine(e.getMessage()).replaceFirst("^Error: ", ""));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        if (cmd.getCommandSpec().parent() == null) {
            err.print(cmd.getUsageMessage()); // no command yet: list them
        } else {
            err.print(cmd.getHelp().fullSynopsis());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
        }
        err.flush();
        return USAGE;
    }

    /** The work failed: one line; a settings error is a usage error (2), anything else a failure (1). */
    private static int failure(Exception e, CommandLine cmd) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return INTERRUPTED;
        }
        String message = e.getMessage();
        if (e instanceof UncheckedIOException && e.getCause() != null && e.getCause().getMessage() != null) {
            message = message + ": " + e.getCause().getMessage();
        }
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        } else if (!EXPECTED.contains(e.getClass()) && !(e instanceof SettingsException)
                && !(e instanceof RejectedRequestException)
                && !(e instanceof IllegalStateException)) {
            message = e.getClass().getSimpleName() + ": " + message; // unexpected: its kind helps a bug report
        }
        PrintWriter err = cmd.getErr();
        err.println("alert-relay: " + firstLine(message));
        err.flush();
        return e instanceof SettingsException || e instanceof RejectedRequestException ? USAGE : FAILED;
    }

    /** Failures whose message says it all. */
    private static final java.util.Set<Class<?>> EXPECTED = java.util.Set.of(IllegalArgumentException.class,
            UncheckedIOException.class, IOException.class);

    private static String firstLine(String message) {
        if (message == null) {
            return "failed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** {@code ./alert-relay} without a command: a usage error that lists the commands. */
    @Command(name = "./alert-relay", mixinStandardHelpOptions = true, versionProvider = Version.class,
            synopsisSubcommandLabel = "COMMAND",
            description = {"The local runtime of Alert Relay: the whole pipeline on this machine, and the commands "
                    + "that post to it, measure it and make tenant tokens.", ""},
            subcommands = {RunCommand.class, SendCommand.class, TokenCommand.class, LoadCommand.class,
                OutageCommand.class, ReplayCommand.class, OnboardCommand.class, CommandLine.HelpCommand.class},
            footerHeading = "%n", footer = {"Run './alert-relay COMMAND --help' for a command's options.",
                "More: docs/local.md"})
    static final class AlertRelay implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "which command? run, send, token, load, outage, replay, onboard or help");
        }
    }

    /** {@code --version}: the build's version (the jar manifest's Implementation-Version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"alert-relay " + HealthReport.currentVersion()};
        }
    }

    /** Makes each command with the environment it works in. */
    private record Factory(CommandEnvironment env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunCommand.class) {
                return cls.cast(new RunCommand(env));
            } else if (cls == SendCommand.class) {
                return cls.cast(new SendCommand(env));
            } else if (cls == TokenCommand.class) {
                return cls.cast(new TokenCommand(env));
            } else if (cls == LoadCommand.class) {
                return cls.cast(new LoadCommand(env));
            } else if (cls == OutageCommand.class) {
                return cls.cast(new OutageCommand(env));
            } else if (cls == ReplayCommand.class) {
                return cls.cast(new ReplayCommand(env));
            } else if (cls == OnboardCommand.class) {
                return cls.cast(new OnboardCommand(env));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
