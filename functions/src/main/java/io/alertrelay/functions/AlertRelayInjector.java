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

    private final Lazy<AppGraph> graph = new Lazy<>(AppGraph::fromEnvironment);

    @Override
    public <T> T getInstance(Class<T> functionClass) {
        return FunctionClasses.create(functionClass, graph.get());
    }
}
