package io.alertrelay.local;

import io.alertrelay.local.cli.CommandEnvironment;
import io.alertrelay.local.cli.Commands;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * {@code ./alert-relay}: the local runtime's commands (run, send, token, load). The project directory — where
 * local.settings*.json and host.json are — is {@code -Dalertrelay.home}, set by the script, else the working directory.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        quietConsole();
        Path project = Path.of(System.getProperty("alertrelay.home", "")).toAbsolutePath().normalize();
        int status = Commands.run(List.of(args), CommandEnvironment.system(project));
        System.exit(status);
    }

    /**
     * Every pipeline entry is in the JSON-lines log and on the status page; the console keeps warnings only, one line
     * each, so the banner stays readable.
     */
    private static void quietConsole() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(Level.WARNING);
        root.addHandler(console);
        root.setLevel(Level.WARNING);
    }
}
