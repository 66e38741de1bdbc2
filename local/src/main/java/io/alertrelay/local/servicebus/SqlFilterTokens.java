package io.alertrelay.local.servicebus;

import java.util.ArrayList;
import java.util.List;

/** The tokens of a SQL filter: quoted strings (with '' for a quote), numbers, names, [delimited] names, operators. */
final class SqlFilterTokens {

    private SqlFilterTokens() {
    }

    static List<String> of(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i = quoted(s, i, tokens);
            } else if (c == '[') {
                int end = s.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("SQL filter \"" + s + "\": an unclosed [");
                }
                tokens.add(s.substring(i, end + 1));
                i = end + 1;
            } else if ("<>!=".indexOf(c) >= 0) {
                int end = i + 1 < s.length() && "<>=".indexOf(s.charAt(i + 1)) >= 0 ? i + 2 : i + 1;
                tokens.add(s.substring(i, end));
                i = end;
            } else if ("(),+-*/%".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                int end = i;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || "._@".indexOf(s.charAt(end)) >= 0)) {
                    end++;
                }
                if (end == i) {
                    throw new IllegalArgumentException("SQL filter \"" + s + "\": '" + c + "' is not emulated");
                }
                tokens.add(s.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    private static int quoted(String s, int i, List<String> tokens) {
        int j = i + 1;
        while (true) {
            if (j >= s.length()) {
                throw new IllegalArgumentException("SQL filter \"" + s + "\": an unclosed string");
            }
            if (s.charAt(j) == '\'') {
                if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                    j += 2;
                    continue;
                }
                tokens.add(s.substring(i, j + 1));
                return j + 1;
            }
            j++;
        }
    }
}
