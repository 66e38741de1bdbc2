package io.alertrelay.local;

import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.local.host.FunctionApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How to start the local runtime. Defaults are those of {@code ./alert-relay run}: settings and host.json from the
 * project directory, state in its {@code .alertrelay/}, the functions on port 7071, the other stand-ins on free
 * ports. Tests use port 0 everywhere, a temporary data directory and small retry budgets.
 */
public final class RuntimeOptions {

    public static final int DEFAULT_HTTP_PORT = 7071;
    /** The template's topicMaxSizeInMegabytes (5120, the Standard tier's maximum), in bytes. */
    static final long TEMPLATE_TOPIC_BYTES = 5120L * 1024 * 1024;

    final Path projectDir;
    final Path dataDir;
    final int httpPort;
    final int platformPort;
    final int busPort;
    final Map<String, String> settingsOverrides;
    final UnaryOperator<OkHttpPlatformClient.Builder> platformClient;
    final Duration busLockDuration;
    final long busMaxTopicBytes;
    final Duration drainTimeout;
    private final Path functionAppDir;

    private RuntimeOptions(Builder b) {
        functionAppDir = b.functionAppDir;
        projectDir = b.projectDir;
        dataDir = b.dataDir != null ? b.dataDir : b.projectDir.resolve(".alertrelay");
        httpPort = b.httpPort;
        platformPort = b.platformPort;
        busPort = b.busPort;
        settingsOverrides = Map.copyOf(b.settingsOverrides);
        platformClient = b.platformClient;
        busLockDuration = b.busLockDuration;
        busMaxTopicBytes = b.busMaxTopicBytes;
        drainTimeout = b.drainTimeout;
    }

    /**
     * The template's topic size, but no more than a quarter of the JVM's heap: the emulator keeps its messages in
     * memory, and a topic that fills the heap would end the runtime where Service Bus would refuse sends.
     */
    public static long defaultTopicBytes(long maxHeapBytes) {
        return Math.min(TEMPLATE_TOPIC_BYTES, maxHeapBytes / 4);
    }

    /** Options for a project checkout (where local.settings*.json and host.json are). */
    public static Builder forProject(Path projectDir) {
        return new Builder(projectDir);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path projectDir() {
        return projectDir;
    }

    /** The packaged function app whose function.json files the runtime binds (see FunctionApp). */
    public Path functionAppDir() {
        return functionAppDir != null ? functionAppDir : FunctionApp.packagedDirectory(projectDir);
    }

    public static final class Builder {
        private final Path projectDir;
        private Path dataDir;
        private int httpPort = DEFAULT_HTTP_PORT;
        private int platformPort;
        private int busPort;
        private final Map<String, String> settingsOverrides = new LinkedHashMap<>();
        private UnaryOperator<OkHttpPlatformClient.Builder> platformClient = UnaryOperator.identity();
        private Duration busLockDuration = Duration.ofMinutes(1);
        private long busMaxTopicBytes = defaultTopicBytes(Runtime.getRuntime().maxMemory());
        private Duration drainTimeout = Duration.ofSeconds(60);
        private Path functionAppDir;

        private Builder(Path projectDir) {
            this.projectDir = Objects.requireNonNull(projectDir, "projectDir").toAbsolutePath().normalize();
        }

        /** Where the store, the bus snapshot, the receiver's record and the logs live (default .alertrelay/). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
            return this;
        }

        /** The functions' port on 127.0.0.1 (default 7071; 0 = any free port). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** The sample receiver's port (default 0 = any free port). */
        public Builder platformPort(int port) {
            this.platformPort = port;
            return this;
        }

        /** The Service Bus emulator's port (default 0 = any free port). */
        public Builder busPort(int port) {
            this.busPort = port;
            return this;
        }

        /** A setting that replaces the settings file's value (tests: MAX_DELIVERY_COUNT, PLATFORM_ENDPOINT_URL, …). */
        public Builder setting(String name, String value) {
            settingsOverrides.put(name, value);
            return this;
        }

        /** Adjusts the platform client, e.g. its retry budget; endpoint and secrets come from the settings. */
        public Builder platformClient(UnaryOperator<OkHttpPlatformClient.Builder> adjust) {
            this.platformClient = Objects.requireNonNull(adjust, "adjust");
            return this;
        }

        /** The emulated subscription's lock duration (default 1 minute, as a new Service Bus subscription). */
        public Builder busLockDuration(Duration lockDuration) {
            this.busLockDuration = lockDuration;
            return this;
        }

        /**
         * The emulated topic's maximum size in bytes; once its messages reach it the webhook's sends are refused and
         * it answers 503, as in Azure (default {@link #defaultTopicBytes}).
         */
        public Builder busMaxTopicBytes(long maxTopicBytes) {
            this.busMaxTopicBytes = maxTopicBytes;
            return this;
        }

        /** How long a stop waits for deliveries under way (default 60 s). */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /** The packaged function app to load (default: the build's, see FunctionApp#packagedDirectory). */
        public Builder functionAppDir(Path dir) {
            this.functionAppDir = dir.toAbsolutePath().normalize();
            return this;
        }

        public RuntimeOptions build() {
            return new RuntimeOptions(this);
        }
    }
}
