package io.alertrelay.local.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code token TENANT}: the tenant's webhook token, made with the first key of TENANT_TOKEN_KEYS. */
final class TokenCommand {

    static final String USAGE = "token TENANT";

    private TokenCommand() {
    }

    static int run(List<String> args, Path projectDir, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of());
        if (a.positional().size() != 1) {
            throw new UsageException("token takes exactly one tenant");
        }
        out.println(ProjectTokens.tokenFor(projectDir, a.positional().get(0)));
        return 0;
    }
}
