package io.alertrelay.local.cli;

import io.alertrelay.settings.SettingsException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The command line of {@code ./alert-relay}: one command, its arguments; errors as one line, never a stack trace. */
public final class Commands {

    static final String USAGE = String.join("\n",
            "usage: ./alert-relay COMMAND [options]",
            "  " + RunCommand.USAGE,
            "      start the whole pipeline on this machine (webhook on http://127.0.0.1:7071)",
            "  " + SendCommand.USAGE,
            "      post Azure Monitor notifications to a running pipeline and print each answer",
            "  " + TokenCommand.USAGE,
            "      print a tenant's webhook token (first key of TENANT_TOKEN_KEYS)",
            "  " + LoadCommand.USAGE,
            "      measure a running pipeline: accepted/s, delivered/s, latencies, and a no-op baseline");

    private Commands() {
    }

    /** Runs one command; returns the process exit status. */
    public static int run(List<String> args, Path projectDir, PrintStream out, PrintStream err) {
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            out.println(USAGE);
            return args.isEmpty() ? 64 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "run" -> RunCommand.run(rest, projectDir, out);
                case "send" -> SendCommand.run(rest, projectDir, out);
                case "token" -> TokenCommand.run(rest, projectDir, out);
                case "load" -> LoadCommand.run(rest, projectDir, out);
                default -> throw new UsageException("unknown command " + args.get(0));
            };
        } catch (UsageException e) {
            err.println("alert-relay: " + e.getMessage());
            err.println(USAGE);
            return 64;
        } catch (SettingsException e) {
            err.println("alert-relay: " + e.getMessage());
            return 2;
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            err.println("alert-relay: " + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            err.println("alert-relay: " + (e.getMessage() != null ? e.getMessage()
                    : "the pipeline stopped answering (" + e.getClass().getSimpleName() + ")"));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
