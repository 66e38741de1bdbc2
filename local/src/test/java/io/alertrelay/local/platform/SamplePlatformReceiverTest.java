package io.alertrelay.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample receiver against our own platform client: it verifies, records once, and can play an outage. */
class SamplePlatformReceiverTest {

    private static final Secret SECRET = secret("current-signing-secret");
    private static final Secret OLD_SECRET = secret("previous-signing-secret");
    private static final byte[] EVENT = ("{\"specversion\":\"1.0\",\"id\":\"ev-1\",\"type\":\"io.alertrelay.alert.fired\","
            + "\"tenant\":\"contoso\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private SamplePlatformReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = SamplePlatformReceiver.start(0, List.of(SECRET), dir.resolve("deliveries.jsonl"));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aCorrectlySignedEventIsRecordedWithItsTypeTenantAndArrivalTime() {
        long before = System.currentTimeMillis();

        DeliveryOutcome outcome = client(List.of(SECRET)).deliver("ev-1", EVENT);

        assertThat(outcome.kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
        assertThat(outcome.status()).isEqualTo(204);
        Delivery d = receiver.delivery("ev-1").orElseThrow();
        assertThat(d.type()).isEqualTo("io.alertrelay.alert.fired");
        assertThat(d.tenant()).isEqualTo("contoso");
        assertThat(d.arrivedAtMillis()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsAnswered401AndNotRecorded() {
        DeliveryOutcome outcome = client(List.of(secret("someone-elses-secret"))).deliver("ev-1", EVENT);

        assertThat(outcome.kind()).isEqualTo(DeliveryOutcome.Kind.REJECTED);
        assertThat(outcome.status()).isEqualTo(401);
        assertThat(receiver.deliveryCount()).isZero();
        assertThat(receiver.stats().badSignatures()).isEqualTo(1);
    }

    @Test
    void anUnsignedRequestIsAnswered401() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(receiver.eventsUri())
                .header("Idempotency-Key", "ev-1").POST(HttpRequest.BodyPublishers.ofByteArray(EVENT)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(receiver.deliveryCount()).isZero();
    }

    @Test
    void duringARotationEitherSignatureIsEnough() {
        receiver.close();
        try {
            receiver = SamplePlatformReceiver.start(0, List.of(OLD_SECRET), dir.resolve("rotation.jsonl"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        DeliveryOutcome outcome = client(List.of(SECRET, OLD_SECRET)).deliver("ev-1", EVENT);

        assertThat(outcome.kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
    }

    @Test
    void aRepeatedIdempotencyKeyIsAcknowledgedButRecordedOnceEvenAfterARestart() throws Exception {
        OkHttpPlatformClient client = client(List.of(SECRET));
        assertThat(client.deliver("ev-1", EVENT).status()).isEqualTo(204);
        assertThat(client.deliver("ev-1", EVENT).status()).isEqualTo(200);
        receiver.close();
        receiver = SamplePlatformReceiver.start(0, List.of(SECRET), dir.resolve("deliveries.jsonl"));

        DeliveryOutcome afterRestart = client(List.of(SECRET)).deliver("ev-1", EVENT);

        assertThat(afterRestart.kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
        assertThat(afterRestart.status()).isEqualTo(200);
        assertThat(receiver.deliveries()).extracting(Delivery::id).containsExactly("ev-1");
        assertThat(receiver.stats().repeats()).isEqualTo(1);
    }

    @Test
    void aReaderAtAPositionGetsWhatWasRecordedAfterItEachDeliveryOnce() throws Exception {
        OkHttpPlatformClient client = client(List.of(SECRET));
        client.deliver("ev-1", EVENT);
        receiver.close();
        receiver = SamplePlatformReceiver.start(0, List.of(SECRET), dir.resolve("deliveries.jsonl"));
        client = client(List.of(SECRET));
        client.deliver("ev-2", EVENT);

        Recorded first = receiver.recordedAfter(0);
        client.deliver("ev-3", EVENT);
        client.deliver("ev-2", EVENT); // a repeat is not recorded again
        client.deliver("ev-4", EVENT);
        Recorded second = receiver.recordedAfter(first.next());

        assertThat(first.deliveries()).extracting(Delivery::id).containsExactly("ev-1", "ev-2");
        assertThat(second.deliveries()).extracting(Delivery::id).containsExactly("ev-3", "ev-4");
        assertThat(receiver.recordedAfter(second.next()).deliveries()).isEmpty();
        assertThat(receiver.recordedAfter(99).deliveries()).isEmpty();
        assertThat(receiver.latest(3)).extracting(Delivery::id).containsExactly("ev-4", "ev-3", "ev-2");
    }

    @Test
    void aReaderWithATimeGetsWhatArrivedSinceThen() throws Exception {
        OkHttpPlatformClient client = client(List.of(SECRET));
        client.deliver("ev-1", EVENT);
        Thread.sleep(5);
        long since = System.currentTimeMillis();
        client.deliver("ev-2", EVENT);

        Recorded recorded = receiver.arrivedSince(since);

        assertThat(recorded.deliveries()).extracting(Delivery::id).containsExactly("ev-2");
        assertThat(recorded.next()).isEqualTo(2);
    }

    @Test
    void duringAnOutageEveryDeliveryIsAnswered503UntilItIsSwitchedOff() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URIs.post(http, receiver.eventsUri().resolve("/platform/outage?on=true"));

        DeliveryOutcome during = client(List.of(SECRET)).deliver("ev-1", EVENT);
        URIs.post(http, receiver.eventsUri().resolve("/platform/outage?on=false"));
        DeliveryOutcome after = client(List.of(SECRET)).deliver("ev-1", EVENT);

        assertThat(during.kind()).isEqualTo(DeliveryOutcome.Kind.TRANSIENT);
        assertThat(during.status()).isEqualTo(503);
        assertThat(after.kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
    }

    @Test
    void moreKeptAliveConnectionsThanTheJdksDefaultOf200StayOpenForTheirNextRequest() throws Exception {
        int port = receiver.eventsUri().getPort();
        List<Socket> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 260; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(10_000);
                connections.add(s);
                assertThat(askOutageOff(s)).isTrue();
            }
            Thread.sleep(200); // every connection is idle now; the JDK's default closed all beyond 200 by here

            int answered = 0;
            for (Socket s : connections) {
                answered += askOutageOff(s) ? 1 : 0;
            }

            assertThat(answered).isEqualTo(260);
        } finally {
            for (Socket s : connections) {
                s.close();
            }
        }
    }

    /** One keep-alive request on {@code s}; true when a whole 200 answer came back, false when the server closed. */
    private static boolean askOutageOff(Socket s) throws IOException {
        try {
            s.getOutputStream().write(("POST /platform/outage?on=false HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                head.append((char) b);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
            return in.readNBytes(body).length == body && head.toString().startsWith("HTTP/1.1 200");
        } catch (SocketException e) {
            return false; // reset by the server
        }
    }

    private OkHttpPlatformClient client(List<Secret> secrets) {
        return OkHttpPlatformClient.builder().endpoint(receiver.eventsUri()).secrets(secrets).maxAttempts(1).build();
    }

    private static Secret secret(String text) {
        return new Secret("whsec_" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final class URIs {
        static void post(HttpClient http, java.net.URI uri) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
