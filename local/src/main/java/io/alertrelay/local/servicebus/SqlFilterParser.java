package io.alertrelay.local.servicebus;

import io.alertrelay.local.servicebus.SqlFilter.Condition;
import io.alertrelay.local.servicebus.SqlFilter.Operand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive descent over {@link SqlFilterTokens}: {@code OR} binds loosest, then {@code AND}, then {@code NOT}; a
 * predicate is a comparison, {@code IS [NOT] NULL}, {@code [NOT] IN}, {@code EXISTS} or a parenthesised predicate.
 */
final class SqlFilterParser {

    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=");

    private final String expression;
    private final List<String> tokens;
    private int next;

    SqlFilterParser(String expression) {
        this.expression = expression;
        this.tokens = SqlFilterTokens.of(expression);
    }

    Condition parse() {
        if (tokens.isEmpty()) {
            throw refused("an empty filter");
        }
        Condition c = or();
        if (next < tokens.size()) {
            throw refused("'" + tokens.get(next) + "' where the filter should end");
        }
        return c;
    }

    private Condition or() {
        Condition left = and();
        while (keyword("OR")) {
            Condition l = left;
            Condition r = and();
            left = p -> {
                Boolean a = l.evaluate(p);
                Boolean b = r.evaluate(p);
                return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b) ? Boolean.TRUE
                        : a == null || b == null ? null : Boolean.FALSE;
            };
        }
        return left;
    }

    private Condition and() {
        Condition left = not();
        while (keyword("AND")) {
            Condition l = left;
            Condition r = not();
            left = p -> {
                Boolean a = l.evaluate(p);
                Boolean b = r.evaluate(p);
                return Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b) ? Boolean.FALSE
                        : a == null || b == null ? null : Boolean.TRUE;
            };
        }
        return left;
    }

    private Condition not() {
        if (keyword("NOT")) {
            Condition c = not();
            return p -> {
                Boolean v = c.evaluate(p);
                return v == null ? null : !v;
            };
        }
        return predicate();
    }

    private Condition predicate() {
        if (symbol("(")) {
            Condition c = or();
            expect(")");
            return c;
        }
        if (keyword("EXISTS")) {
            expect("(");
            String name = property(take("a property"));
            expect(")");
            return p -> p.containsKey(name);
        }
        Operand left = operand();
        if (keyword("IS")) {
            boolean negated = keyword("NOT");
            if (!keyword("NULL")) {
                throw refused("IS without NULL");
            }
            return p -> (left.value(p) == null) != negated;
        }
        boolean negated = keyword("NOT");
        if (keyword("IN")) {
            return in(left, negated);
        }
        if (negated) {
            throw refused("NOT before " + (next < tokens.size() ? "'" + tokens.get(next) + "'" : "the end")
                    + " (only NOT IN is emulated)");
        }
        String op = take("a comparison");
        if (op.equalsIgnoreCase("LIKE")) {
            throw refused("LIKE");
        }
        if (!COMPARISONS.contains(op)) {
            throw refused("'" + op + "' (arithmetic and functions are not emulated)");
        }
        Operand right = operand();
        return p -> compare(left.value(p), op, right.value(p));
    }

    private Condition in(Operand left, boolean negated) {
        expect("(");
        List<Object> values = new ArrayList<>();
        do {
            values.add(constant(take("a constant")));
        } while (symbol(","));
        expect(")");
        return p -> {
            Object v = left.value(p);
            if (v == null) {
                return null;
            }
            boolean found = values.stream().anyMatch(c -> Boolean.TRUE.equals(compare(v, "=", c)));
            return found != negated;
        };
    }

    private Operand operand() {
        String token = take("a property or a constant");
        if (token.equals("-") || token.equals("+")) {
            token = token + take("a number"); // a signed number; arithmetic is refused below
        }
        if (token.startsWith("'") || Character.isDigit(token.charAt(0)) || token.startsWith("-")
                || token.startsWith("+") || token.equalsIgnoreCase("TRUE") || token.equalsIgnoreCase("FALSE")) {
            Object value = constant(token);
            return p -> value;
        }
        String name = property(token);
        return p -> p.get(name);
    }

    /** A user property's name: unscoped or {@code user.}; {@code sys.} is not emulated. */
    private String property(String token) {
        if (token.regionMatches(true, 0, "sys.", 0, 4)) {
            throw refused("system property " + token);
        }
        if (token.startsWith("@")) {
            throw refused("parameter " + token);
        }
        String name = token.regionMatches(true, 0, "user.", 0, 5) ? token.substring(5) : token;
        if (name.startsWith("[") && name.endsWith("]") && name.length() > 2) {
            return name.substring(1, name.length() - 1); // a delimited identifier
        }
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw refused("'" + token + "' where a property was expected");
        }
        return name;
    }

    private Object constant(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1).replace("''", "'");
        }
        if (token.equalsIgnoreCase("TRUE") || token.equalsIgnoreCase("FALSE")) {
            return Boolean.valueOf(token.toLowerCase(Locale.ROOT));
        }
        try {
            return new BigDecimal(token);
        } catch (NumberFormatException e) {
            throw refused("'" + token + "' where a constant was expected");
        }
    }

    /** Three-valued comparison: unknown when either side is missing or the two are of different kinds. */
    static Boolean compare(Object a, String op, Object b) {
        if (a == null || b == null) {
            return null;
        }
        int order;
        if (a instanceof Number x && b instanceof Number y) {
            order = new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        } else if (a instanceof String x && b instanceof String y) {
            order = x.compareTo(y);
        } else if (a instanceof Boolean x && b instanceof Boolean y) {
            if (!op.equals("=") && !op.equals("<>") && !op.equals("!=")) {
                return null;
            }
            order = x.equals(y) ? 0 : 1;
        } else {
            return null;
        }
        return switch (op) {
            case "=" -> order == 0;
            case "<>", "!=" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            default -> order >= 0;
        };
    }

    private boolean keyword(String word) {
        if (next < tokens.size() && tokens.get(next).equalsIgnoreCase(word)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean symbol(String s) {
        if (next < tokens.size() && tokens.get(next).equals(s)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!symbol(s)) {
            throw refused("a missing '" + s + "'");
        }
    }

    private String take(String what) {
        if (next >= tokens.size()) {
            throw refused("the end where " + what + " was expected");
        }
        return tokens.get(next++);
    }

    private IllegalArgumentException refused(String what) {
        return new IllegalArgumentException("SQL filter \"" + expression + "\": " + what
                + "; the emulator evaluates user properties with = <> != < <= > >=, IS [NOT] NULL, [NOT] IN, EXISTS,"
                + " NOT, AND, OR and parentheses");
    }
}
