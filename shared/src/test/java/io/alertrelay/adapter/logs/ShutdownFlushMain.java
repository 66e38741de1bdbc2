package io.alertrelay.adapter.logs;

import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.Stage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Run in a child JVM by {@link LogsIngestionShutdownFlushTest}: logs entries into a sink whose flush interval is far
 * away, then exits the JVM at once; only the sink's shutdown hook can send them.
 * Arguments: endpoint, PKCS12 key store of the receiver, number of entries.
 */
public final class ShutdownFlushMain {

    private ShutdownFlushMain() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            ks.load(in, TestCertificate.PASSWORD);
        }
        int n = Integer.parseInt(args[2]);
        LogsIngestionLogSink sink = LogsIngestionLogSink.builder()
                .endpoint(endpoint)
                .ruleId(SinkTesting.RULE_ID)
                .credential(SinkTesting.STATIC_TOKEN)
                .httpClient(TestCertificate.sdkHttpClient((X509Certificate) ks.getCertificate("receiver")))
                .retryOptions(SinkTesting.FAST_RETRIES)
                .flushInterval(Duration.ofMinutes(10))
                .shutdownTimeout(Duration.ofSeconds(10))
                .warningLogger(Logger.getAnonymousLogger())
                .build(); // shutdown hook on, as in Azure
        InvocationLog log = SinkTesting.invocation(sink);
        for (int i = 0; i < n; i++) {
            log.log(Stage.RECEIVED, "before exit " + i);
        }
        System.out.println("offered " + n + ", sent so far " + sink.stats().sent());
        System.exit(0);
    }
}
