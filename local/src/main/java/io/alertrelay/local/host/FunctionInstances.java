package io.alertrelay.local.host;

/**
 * Makes the instance of a function class that an invocation runs on: the local runtime's counterpart of the Java
 * worker's {@code FunctionInstanceInjector} (azure-functions-java-spi), which the worker asks for an instance at
 * every invocation.
 */
@FunctionalInterface
public interface FunctionInstances {

    <T> T instance(Class<T> functionClass);

    /** What the worker does when the app registers no injector: a new instance from the no-argument constructor. */
    static FunctionInstances newInstances() {
        return new FunctionInstances() {
            @Override
            public <T> T instance(Class<T> functionClass) {
                try {
                    return functionClass.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot construct " + functionClass.getName(), e);
                }
            }
        };
    }
}
