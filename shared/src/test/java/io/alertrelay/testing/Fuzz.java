package io.alertrelay.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Seeded fuzzing with plain JUnit 5: a property checked on {@code fuzz.tries} generated inputs (2,000 when the system
 * property is absent; the long profile sets 100,000).
 *
 * <p>A run draws a base seed, or takes {@code -Dfuzz.seed=N}; try {@code i} draws its input from a
 * {@link SplittableRandom} seeded from the base seed and {@code i} alone, so {@code -Dfuzz.seed=N} replays a run and
 * {@code -Dfuzz.seed=N -Dfuzz.try=i} replays one try of it. A failure names the base seed, the try, the input (its
 * {@code toString}, cut short) and how to replay it. There is no shrinking: a failure shows the input as generated,
 * not a smaller one that fails too.
 */
public final class Fuzz {

    /** The most characters of an input's description or of an exception's message that a failure repeats. */
    private static final int MAX_TEXT = 1_000;
    private static final ThreadLocal<Map<String, Map<String, Integer>>> COUNTS = new ThreadLocal<>();

    private Fuzz() {
    }

    /** Checks {@code property} on the input {@code generator} draws for each try; the first failure ends the run. */
    public static <T> void forAll(Function<SplittableRandom, T> generator, ThrowingConsumer<T> property) {
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst())
                .orElseThrow();
        String test = caller.getClassName().substring(caller.getClassName().lastIndexOf('.') + 1);
        String name = test + "." + caller.getMethodName();
        String seed = System.getProperty("fuzz.seed");
        String oneTry = System.getProperty("fuzz.try");
        if (oneTry != null && seed == null) {
            throw new IllegalArgumentException("-Dfuzz.try replays one try of a run: give its -Dfuzz.seed too");
        }
        long base = seed != null ? Long.parseLong(seed.strip()) : new SplittableRandom().nextLong();
        int tries = Integer.getInteger("fuzz.tries", 2_000);
        int first = oneTry == null ? 0 : Integer.parseInt(oneTry.strip());
        int end = oneTry == null ? tries : first + 1;
        System.out.printf("%s: tries %d to %d of base seed %d (-Dfuzz.seed=%d replays them)%n",
                name, first, end - 1, base, base);
        COUNTS.set(new LinkedHashMap<>());
        try {
            for (int i = first; i < end; i++) {
                T input = null;
                try {
                    input = generator.apply(new SplittableRandom(mix(base, i)));
                    property.accept(input);
                } catch (Throwable failure) {
                    throw new AssertionError(String.format("%s failed at try %d of %d, base seed %d; replay with"
                            + " -Dtest=%s -Dfuzz.seed=%d -Dfuzz.try=%d%ninput: %s", name, i, tries, base, test, base, i,
                            cut(String.valueOf(input))), Bounded.of(failure, 0));
                }
            }
            printCounts(name);
        } finally {
            COUNTS.remove();
        }
    }

    /** Counts {@code value} under {@code label} for the summary a run prints when every try passed. */
    public static void collect(String label, Object value) {
        Map<String, Map<String, Integer>> counts = COUNTS.get();
        if (counts == null) {
            throw new IllegalStateException("Fuzz.collect outside Fuzz.forAll");
        }
        counts.computeIfAbsent(label, l -> new TreeMap<>()).merge(String.valueOf(value), 1, Integer::sum);
    }

    private static void printCounts(String name) {
        COUNTS.get().forEach((label, counts) -> {
            double total = counts.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%s: %s: %s%n", name, label, counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(c -> String.format("%s %d (%.1f%%)", c.getKey(), c.getValue(), 100 * c.getValue() / total))
                    .collect(Collectors.joining(", ")));
        });
    }

    /** The seed of try {@code i}: SplittableRandom's own mixing function, so neighbouring tries share nothing. */
    private static long mix(long base, int i) {
        long z = base + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "… (" + text.length() + " chars)";
    }

    /** A failure and its causes as they were, with every message cut short (an assertion may print a whole body). */
    private static final class Bounded extends Throwable {
        private static final long serialVersionUID = 1L;
        private final String text;

        private Bounded(Throwable original, Throwable cause) {
            super(null, cause, false, true);
            String message = original.getMessage();
            text = original.getClass().getName() + (message == null ? "" : ": " + cut(message));
            setStackTrace(original.getStackTrace());
        }

        static Throwable of(Throwable original, int depth) {
            Throwable cause = original.getCause();
            boolean more = cause != null && cause != original && depth < 8;
            return new Bounded(original, more ? of(cause, depth + 1) : null);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
