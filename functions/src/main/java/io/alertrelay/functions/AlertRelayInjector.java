package io.alertrelay.functions;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;

/**
 * The Java worker's hook for making function instances ("Dependency injection",
 * https://learn.microsoft.com/azure/azure-functions/functions-reference-java#dependency-injection), registered in
 * {@code META-INF/services/com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector}. The worker loads it
 * once and asks it for an instance at every invocation: each gets its parts from the one graph of this worker,
 * built from the process environment on first use.
 */
public final class AlertRelayInjector implements FunctionInstanceInjector {

    private final Lazy<AppGraph> graph;

    /**
     * Made when the worker loads the functions, before their first invocation: the graph is built and warmed then, on
     * a thread of its own ({@link AppGraph#warm()}), so the first request finds its clients built and connected and
     * the codecs loaded. An invocation that comes first waits for the part it needs, built once either way.
     */
    public AlertRelayInjector() {
        this(AppGraph::fromEnvironment);
    }

    AlertRelayInjector(java.util.function.Supplier<AppGraph> graph) {
        this.graph = new Lazy<>(graph);
        Thread warm = new Thread(this::warm, "alertrelay-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    private void warm() {
        try {
            graph.get().warm();
        } catch (RuntimeException | LinkageError e) {
            // the graph itself could not be built: each function reports it when asked for an instance
        }
    }

    /** Joins the warm-up (tests). */
    AppGraph graph() {
        return graph.get();
    }

    @Override
    public <T> T getInstance(Class<T> functionClass) {
        return FunctionClasses.create(functionClass, graph.get());
    }
}
