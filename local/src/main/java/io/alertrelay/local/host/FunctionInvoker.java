package io.alertrelay.local.host;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Map;

/**
 * Calls one function's Java method as the Java worker does (its ParameterResolver): a parameter with a binding
 * annotation gets the input of that binding name, a {@code @BindingName} parameter gets the trigger metadata of that
 * name, an {@link ExecutionContext} parameter gets the context; each value is converted from what the host sent by
 * {@link WorkerTypeConversion}. A value that cannot be converted fails the invocation before the function runs, as
 * in Azure.
 */
public final class FunctionInvoker {

    private static final String ANNOTATIONS = "com.microsoft.azure.functions.annotation";

    private final FunctionDefinition definition;
    private final Class<?> functionClass;
    private final Method method;
    private final FunctionInstances instances;
    /** Per parameter, read once at load as the worker does: the binding name and the metadata name, or null. */
    private final Parameter[] parameters;
    private final String[] bindingNames;
    private final String[] metadataNames;

    FunctionInvoker(FunctionDefinition definition, ClassLoader loader, FunctionInstances instances) {
        this.definition = definition;
        this.instances = instances;
        try {
            this.functionClass = Class.forName(definition.className(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(definition.name() + ": entry point class " + definition.className()
                    + " is not on the classpath", e);
        }
        this.method = Arrays.stream(functionClass.getMethods())
                .filter(m -> m.getName().equals(definition.methodName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(definition.name() + ": no public method "
                        + definition.entryPoint()));
        this.parameters = method.getParameters();
        this.bindingNames = Arrays.stream(parameters).map(FunctionInvoker::bindingName).toArray(String[]::new);
        this.metadataNames = Arrays.stream(parameters).map(p -> p.getAnnotation(BindingName.class))
                .map(b -> b == null ? null : b.value()).toArray(String[]::new);
    }

    public FunctionDefinition definition() {
        return definition;
    }

    public String name() {
        return definition.name();
    }

    /**
     * @param inputs   what the host sends per binding name (the trigger's payload under the trigger's name)
     * @param metadata the trigger metadata (route parameters, MessageId, DeliveryCount, …)
     * @return what the function returned (the {@code $return} binding)
     * @throws FunctionFailedException when binding fails or the function throws
     */
    public Object invoke(Map<String, HostData> inputs, Map<String, HostData> metadata, ExecutionContext context) {
        Object[] args = bind(inputs, metadata, context);
        Object instance = instances.instance(functionClass);
        try {
            return method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw new FunctionFailedException(name() + " threw " + cause.getClass().getSimpleName(), cause, false);
        } catch (IllegalAccessException e) {
            throw new FunctionFailedException(name() + ": " + definition.entryPoint() + " is not accessible", e, true);
        }
    }

    /** The declared Java type of the parameter bound to the trigger. */
    public java.lang.reflect.Type triggerParameterType() {
        String trigger = definition.trigger().name();
        return Arrays.stream(method.getParameters()).filter(p -> trigger.equals(bindingName(p)))
                .findFirst().map(Parameter::getParameterizedType)
                .orElseThrow(() -> new IllegalStateException(name() + " has no parameter for its trigger " + trigger));
    }

    /** The arguments of one invocation, or a FunctionFailedException naming the parameter that could not be bound. */
    Object[] bind(Map<String, HostData> inputs, Map<String, HostData> metadata, ExecutionContext context) {
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            args[i] = bindOne(parameters[i], bindingNames[i], metadataNames[i], inputs, metadata, context);
        }
        return args;
    }

    private Object bindOne(Parameter p, String bindingName, String metadataName, Map<String, HostData> inputs,
                           Map<String, HostData> metadata, ExecutionContext context) {
        HostData data;
        String what;
        if (bindingName != null) {
            data = inputs.get(bindingName);
            what = "binding '" + bindingName + "'";
            if (data == null || definition.binding(bindingName).isEmpty()) {
                throw new FunctionFailedException(name() + ": the host sent nothing for " + what
                        + " (no such binding in function.json)", null, true);
            }
        } else if (metadataName != null) {
            data = metadata.get(metadataName);
            what = "@BindingName(\"" + metadataName + "\")";
            if (data == null) {
                throw new FunctionFailedException(name() + ": no trigger metadata named " + metadataName, null, true);
            }
        } else if (ExecutionContext.class.isAssignableFrom(p.getType())) {
            return context;
        } else {
            throw new FunctionFailedException(name() + ": parameter " + p.getName() + " has no binding", null, true);
        }
        try {
            return WorkerTypeConversion.convert(data, p.getParameterizedType());
        } catch (WorkerTypeConversion.BindingException e) {
            throw new FunctionFailedException(name() + ": cannot bind " + what + " to " + p.getParameterizedType()
                    .getTypeName() + ": " + e.getMessage(), e, true);
        }
    }

    /** The {@code name} of the parameter's binding annotation (HttpTrigger, ServiceBusTopicTrigger, …), if any. */
    static String bindingName(Parameter p) {
        for (Annotation a : p.getAnnotations()) {
            if (a.annotationType().getName().startsWith(ANNOTATIONS) && !(a instanceof BindingName)) {
                try {
                    Object name = a.annotationType().getMethod("name").invoke(a);
                    if (name instanceof String s && !s.isEmpty()) {
                        return s;
                    }
                } catch (ReflectiveOperationException e) {
                    // an annotation without name(): not a binding
                }
            }
        }
        return null;
    }

    /** An invocation that failed: binding failed, or the function threw. The host answers 500 or abandons. */
    public static final class FunctionFailedException extends RuntimeException {
        private final boolean bindingFailed;

        FunctionFailedException(String message, Throwable cause, boolean bindingFailed) {
            super(message, cause);
            this.bindingFailed = bindingFailed;
        }

        /** True when the function never ran: what the host sent could not be bound to its parameters. */
        public boolean bindingFailed() {
            return bindingFailed;
        }
    }
}
