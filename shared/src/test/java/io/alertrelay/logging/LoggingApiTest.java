package io.alertrelay.logging;

import io.alertrelay.logging.entry.Stage;

import io.alertrelay.logging.entry.Outcome;

import io.alertrelay.logging.entry.LogProperty;

import io.alertrelay.logging.entry.LogLevel;

import io.alertrelay.logging.entry.LogEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.port.LogSink;
import io.alertrelay.testing.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LoggingApiTest {

    private final List<LogEntry> entries = new CopyOnWriteArrayList<>();
    private final LogSink capture = entries::add;
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:15:30.123456Z"), ZoneOffset.UTC);
    private final PipelineLog pipelineLog = PipelineLog.of(capture, Redaction.patternsOnly(), clock);
    private final CapturingHandler handler = new CapturingHandler();
    private final Logger functionLogger = functionLogger(handler);

    @Test
    void theStagesAreExactlyTheDesignsWithTheirTableValues() {
        assertThat(Arrays.stream(Stage.values()).map(Stage::value)).containsExactly("received", "rejected",
                "published", "stored", "delivered", "retried", "superseded", "deadlettered", "replayed");
        assertThat(Arrays.stream(LogLevel.values()).map(LogLevel::value)).containsExactly("Information", "Warning", "Error");
    }

    @Test
    void everyEntryCarriesOperationInvocationEventTypeTenantDurationAndOutcome() {
        PlatformEvent event = new AlertNormaliser().normalise("contoso", Fixtures.bytes("test-metric-static.json"));

        InvocationLog log = pipelineLog.forInvocation("AlertWebhook", "3f6c-inv", functionLogger).tenant("contoso");
        log.at(Stage.RECEIVED).property(LogProperty.BODY_BYTES, 1234).log("notification received");
        log.event(event).at(Stage.PUBLISHED).duration(Duration.ofMillis(42)).property(LogProperty.HTTP_STATUS, 202)
                .log("alert published");

        assertThat(entries).hasSize(2);
        LogEntry received = entries.get(0);
        assertThat(received.operation()).isEqualTo("AlertWebhook");
        assertThat(received.invocationId()).isEqualTo("3f6c-inv");
        assertThat(received.tenant()).isEqualTo("contoso");
        assertThat(received.eventId()).isNull();
        assertThat(received.stage()).isEqualTo(Stage.RECEIVED);
        assertThat(received.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(received.level()).isEqualTo(LogLevel.INFORMATION);
        assertThat(received.timeGenerated()).isEqualTo(clock.instant());
        assertThat(received.durationMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
        assertThat(received.properties()).containsEntry(LogProperty.BODY_BYTES, 1234L);

        LogEntry published = entries.get(1);
        assertThat(published.eventId()).isEqualTo(event.id());
        assertThat(published.eventType()).isEqualTo("io.alertrelay.alert.fired");
        assertThat(published.tenant()).isEqualTo("contoso");
        assertThat(published.durationMs()).isEqualTo(42.0);
        assertThat(published.properties()).containsEntry(LogProperty.HTTP_STATUS, 202L)
                .containsEntry(LogProperty.SCHEMA, event.data().schema())
                .containsEntry(LogProperty.SEVERITY, event.data().severity())
                .containsEntry(LogProperty.CONDITION, "Fired");
        assertThat(published.toRow()).containsEntry("TimeGenerated", "2026-03-01T10:15:30.123456Z");
    }

    @Test
    void outcomeAndLevelFollowTheStageUnlessTheCallerSaysOtherwise() {
        InvocationLog log = pipelineLog.forInvocation("AlertDequeuer", "i", null);
        log.log(Stage.REJECTED, "platform answered 400");
        log.log(Stage.RETRIED, "platform answered 503");
        log.log(Stage.DEADLETTERED, "last delivery failed");
        log.log(Stage.SUPERSEDED, "resolved first");
        log.at(Stage.STORED).outcome(Outcome.DUPLICATE).log("already stored");
        log.at(Stage.RECEIVED).outcome(Outcome.FAILURE).level(LogLevel.WARNING).log("unreadable message");

        assertThat(entries).extracting(LogEntry::outcome).containsExactly(Outcome.REJECTED, Outcome.TRANSIENT_FAILURE,
                Outcome.FAILURE, Outcome.SKIPPED, Outcome.DUPLICATE, Outcome.FAILURE);
        assertThat(entries).extracting(LogEntry::level).containsExactly(LogLevel.WARNING, LogLevel.WARNING,
                LogLevel.ERROR, LogLevel.INFORMATION, LogLevel.INFORMATION, LogLevel.WARNING);
        assertThat(entries).extracting(e -> e.toRow().get("Outcome")).containsExactly("rejected",
                "transient-failure", "failure", "skipped", "duplicate", "failure");
    }

    @Test
    void eachEntryIsAlsoWrittenToTheFunctionsLoggerAtTheMatchingLevel() {
        InvocationLog log = pipelineLog.forInvocation("AlertDequeuer", "inv-9", functionLogger)
                .event("contoso.e1", "io.alertrelay.alert.fired", "contoso");
        log.at(Stage.DELIVERED).property(LogProperty.PLATFORM_STATUS, 200).log("delivered");
        log.log(Stage.RETRIED, "platform answered 503");
        log.log(Stage.DEADLETTERED, "gave up");

        assertThat(handler.records).extracting(LogRecord::getLevel).containsExactly(Level.INFO, Level.WARNING, Level.SEVERE);
        assertThat(handler.records.get(0).getMessage()).contains("[delivered/success] delivered", "event contoso.e1",
                "tenant contoso", "platformStatus=200", " ms");
    }

    @Test
    void durationCountsFromTheInvocationsStartUnlessAStepDurationIsGiven() throws Exception {
        InvocationLog log = pipelineLog.forInvocation("AlertWebhook", "i", null);
        Thread.sleep(30);
        log.log(Stage.RECEIVED, "later");
        log.at(Stage.PUBLISHED).durationMs(7.25).log("own duration");

        assertThat(entries.get(0).durationMs()).isGreaterThanOrEqualTo(29.0);
        assertThat(entries.get(1).durationMs()).isEqualTo(7.25);
    }

    @Test
    void propertiesAreAllowListedNumbersBooleansAndShortRedactedStrings() {
        InvocationLog log = pipelineLog.forInvocation("AlertWebhook", "i", null);
        log.at(Stage.REJECTED)
                .property(LogProperty.HTTP_STATUS, 413)
                .property(LogProperty.CLAIM_CHECK, true)
                .property(LogProperty.RETRY_AFTER_SECONDS, Double.NaN)
                .property(LogProperty.STATUS, Stage.REJECTED)
                .property(LogProperty.REASON, "x".repeat(5_000))
                .property(LogProperty.CONTENT_TYPE, "text/plain; token=abc123")
                .property(LogProperty.ALERT_RULE, null)
                .log("too large");

        LogEntry e = entries.get(0);
        assertThat(e.properties()).containsEntry(LogProperty.HTTP_STATUS, 413L)
                .containsEntry(LogProperty.CLAIM_CHECK, true)
                .containsEntry(LogProperty.STATUS, "rejected")
                .containsEntry(LogProperty.CONTENT_TYPE, "text/plain; token=***")
                .doesNotContainKeys(LogProperty.RETRY_AFTER_SECONDS, LogProperty.ALERT_RULE);
        assertThat((String) e.properties().get(LogProperty.REASON)).hasSize(InvocationLog.MAX_PROPERTY_CHARS);
        assertThat(e.toRow().get("Properties")).isInstanceOf(java.util.Map.class);
    }

    @Test
    void anErrorGivesItsClassAndItsRedactedMessageWithCauses() {
        Exception failure = new IllegalStateException("send failed",
                new java.io.IOException("connect to sb://bus/;SharedAccessKey=s3cr3tKeyValue= refused"));

        pipelineLog.forInvocation("AlertWebhook", "i", null).at(Stage.RETRIED).error(failure).log("bus unreachable");

        LogEntry e = entries.get(0);
        assertThat(e.properties()).containsEntry(LogProperty.ERROR_TYPE, "java.lang.IllegalStateException");
        assertThat((String) e.properties().get(LogProperty.ERROR_MESSAGE))
                .contains("send failed", "caused by java.io.IOException", "SharedAccessKey=***")
                .doesNotContain("s3cr3tKeyValue");
    }

    @Test
    void aLogCallNeverThrowsEvenWhenTheSinkAndTheLoggerDo() {
        LogSink broken = e -> {
            throw new IllegalStateException("sink bug");
        };
        Logger throwingLogger = functionLogger(new Handler() {
            @Override
            public void publish(LogRecord record) {
                throw new IllegalStateException("handler bug");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        PipelineLog failing = PipelineLog.of(broken, Redaction.patternsOnly());

        assertThatCode(() -> {
            InvocationLog log = failing.forInvocation("AlertWebhook", null, throwingLogger);
            log.log(Stage.RECEIVED, null);
            log.event((PlatformEvent) null).at(Stage.PUBLISHED).error(new RuntimeException((String) null))
                    .properties(null).property(null, 1).log("still fine");
        }).doesNotThrowAnyException();
        assertThat(failing.failures()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anInvocationLogIsImmutableContextIsAddedByCopies() {
        InvocationLog base = pipelineLog.forInvocation("AlertWebhook", "i", null);
        InvocationLog withTenant = base.tenant("contoso");

        base.log(Stage.RECEIVED, "a");
        withTenant.log(Stage.RECEIVED, "b");

        assertThat(entries.get(0).tenant()).isNull();
        assertThat(entries.get(1).tenant()).isEqualTo("contoso");
        assertThat(withTenant.invocationId()).isEqualTo("i");
    }

    static Logger functionLogger(Handler handler) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        logger.setLevel(Level.ALL);
        return logger;
    }

    static final class CapturingHandler extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
