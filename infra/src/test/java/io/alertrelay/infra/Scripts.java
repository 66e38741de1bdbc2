package io.alertrelay.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shell scripts of infra/pipeline the way the pipeline does: bash, an environment, commands on the PATH. */
final class Scripts {

    private Scripts() {
    }

    static Path script(String name) {
        return Infra.infra().resolve("pipeline").resolve(name);
    }

    /**
     * Runs {@code bash <script> <args>} with the given environment added (and NO_PROXY for loopback), {@code bin}
     * first on the PATH when not null; merged output, bounded by {@code timeoutSeconds}.
     */
    static NodeTool.Result bash(Path script, List<String> args, Map<String, String> env, Path bin, int timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NO_PROXY", "127.0.0.1,localhost"); // a proxy from the environment must not see loopback
        pb.environment().put("no_proxy", "127.0.0.1,localhost");
        pb.environment().putAll(env);
        if (bin != null) {
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        }
        try {
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // killed
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script.getFileName() + " ran over " + timeoutSeconds + " s:\n"
                        + out.toString(StandardCharsets.UTF_8));
            }
            reader.join(5_000);
            return new NodeTool.Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes an executable file. */
    static Path executable(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fake {@code az} in {@code bin}: logs each call's arguments (one per line, then "--end--") to $FAKE_AZ_LOG;
     * answers the read commands the pipeline scripts use from FAKE_AZ_* variables; fails storage commands when
     * FAKE_AZ_FAIL=storage.
     */
    static Path fakeAz(Path bin) {
        return executable(bin.resolve("az"), """
                #!/usr/bin/env bash
                { printf '%s\\n' "$@"; printf '%s\\n' '--end--'; } >> "$FAKE_AZ_LOG"
                args=" $* "
                case "$args" in
                  *" storage blob "*)
                    if [[ "${FAKE_AZ_FAIL:-}" == storage ]]; then echo "ERROR: AuthorizationPermissionMismatch" >&2; exit 1; fi ;;
                  *" function keys list "*) printf '%s\\n' "${FAKE_AZ_FUNCTION_KEY:-}" ;;
                  *" functionapp keys list "*) printf '%s\\n' "${FAKE_AZ_MASTER_KEY:-}" ;;
                  *" keyvault secret show "*) printf '%s\\n' "${FAKE_AZ_SECRET:-}" ;;
                  *" functionapp show "*) printf '%s\\n' "${FAKE_AZ_HOST:-}" ;;
                esac
                exit 0
                """);
    }

    /** The calls a fake az logged, each as its list of arguments. */
    static List<List<String>> calls(Path log) {
        List<List<String>> calls = new ArrayList<>();
        if (!Files.exists(log)) {
            return calls;
        }
        List<String> current = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log)) {
                if (line.equals("--end--")) {
                    calls.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    /** The value following {@code flag} in a call, or null. */
    static String option(List<String> call, String flag) {
        int i = call.indexOf(flag);
        return i >= 0 && i + 1 < call.size() ? call.get(i + 1) : null;
    }
}
