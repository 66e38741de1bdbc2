package io.alertrelay.functions;

import java.util.Map;
import java.util.function.Function;

/**
 * The one place that makes function instances: each function class with its parts from a graph. The Java worker
 * reaches it through {@link AlertRelayInjector}; the local runtime and the tests call it with their own graphs.
 */
public final class FunctionClasses {

    private static final Map<Class<?>, Function<AppGraph, Object>> FACTORIES = Map.of(
            AlertWebhook.class, g -> new AlertWebhook(g::intake, g::log),
            AlertDequeuer.class, g -> new AlertDequeuer(g::delivery, g::log),
            EventStatus.class, g -> new EventStatus(g::eventStatus),
            Replay.class, g -> new Replay(g::replay, g::log),
            Health.class, g -> new Health(g::health));

    private FunctionClasses() {
    }

    /** An instance of {@code functionClass} wired to {@code graph}. */
    public static <T> T create(Class<T> functionClass, AppGraph graph) {
        Function<AppGraph, Object> factory = FACTORIES.get(functionClass);
        if (factory == null) {
            throw new IllegalArgumentException(functionClass.getName() + " is not a function class of this app");
        }
        return functionClass.cast(factory.apply(graph));
    }
}
