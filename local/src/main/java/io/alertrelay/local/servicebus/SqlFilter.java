package io.alertrelay.local.servicebus;

import java.util.Map;
import java.util.Objects;

/**
 * A subscription rule's SQL filter, for the part of the Service Bus grammar the emulator evaluates ("Subscription Rule
 * SQL Filter Syntax", https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter):
 * user (application) properties, unscoped or {@code user.}-scoped; string, integer, decimal and TRUE/FALSE constants;
 * {@code = <> != < <= > >=}; {@code IS [NOT] NULL}; {@code [NOT] IN (...)}; {@code EXISTS (...)}; {@code NOT},
 * {@code AND}, {@code OR} and parentheses. Anything else — {@code sys.} properties, {@code LIKE}, arithmetic,
 * functions, parameters — is refused when the filter is declared ({@link IllegalArgumentException} naming it), never
 * evaluated wrongly.
 *
 * <p>Evaluation follows the documented three-valued logic: "a nonexistent user property is internally evaluated as an
 * unknown value", so a comparison with a missing property is unknown, {@code NOT} of unknown is unknown, and a message
 * is selected only when the filter is true. {@code lane <> 'bulk'} therefore does not select a message without a
 * {@code lane} property; {@code lane IS NULL OR lane <> 'bulk'} does. Values of different kinds (a string and a
 * number) compare as unknown.
 */
final class SqlFilter {

    /** The filter of a subscription's default rule: every message ({@code TrueFilter}, i.e. {@code 1=1}). */
    static final SqlFilter TRUE = new SqlFilter("1=1", properties -> Boolean.TRUE);

    private final String expression;
    private final Condition condition;

    private SqlFilter(String expression, Condition condition) {
        this.expression = expression;
        this.condition = condition;
    }

    /** @throws IllegalArgumentException when the expression is malformed or uses what the emulator does not evaluate */
    static SqlFilter parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        return new SqlFilter(expression, new SqlFilterParser(expression).parse());
    }

    /** Whether a message with these application properties is selected (the filter is true, not false or unknown). */
    boolean matches(Map<String, Object> applicationProperties) {
        return Boolean.TRUE.equals(condition.evaluate(applicationProperties == null ? Map.of() : applicationProperties));
    }

    String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return expression;
    }

    /** A predicate in three-valued logic: TRUE, FALSE, or null for unknown. */
    @FunctionalInterface
    interface Condition {
        Boolean evaluate(Map<String, Object> properties);
    }

    /** An operand: a constant, or a user property (null when the message does not have it). */
    @FunctionalInterface
    interface Operand {
        Object value(Map<String, Object> properties);
    }
}
