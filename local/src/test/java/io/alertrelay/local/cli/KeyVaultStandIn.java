package io.alertrelay.local.cli;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local stand-in for Key Vault's secrets API over HTTPS on 127.0.0.1 (JDK HttpsServer, a certificate made with
 * keytool that only {@link #sdkHttpClient()} trusts). As the service does, it answers a request without a bearer
 * token 401 with the challenge ({@code WWW-Authenticate: Bearer authorization=…, resource=…}), and
 * {@code GET /secrets/{name}?api-version=…} with the secret bundle, or the status scripted for it.
 */
final class KeyVaultStandIn implements AutoCloseable {

    static final String ACCESS_TOKEN = "stand-in-access-token";
    private static final char[] PASSWORD = "stand-in-pass".toCharArray();

    /** One request as received. */
    record Request(String method, String path, String query, String authorization) {
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final X509Certificate certificate;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String secretName;
    private volatile String secretValue;
    private volatile int status = 200;

    private KeyVaultStandIn(Path dir) throws Exception {
        Path keyStoreFile = dir.resolve("vault.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "vault", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keyStoreFile.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        certificate = (X509Certificate) keyStore.getCertificate("vault");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        // The JDK reads its server settings once, at the first server in this JVM: set ours first, as every
        // server of the local runtime does, whichever test class runs first.
        io.alertrelay.local.host.LoopbackHttpServers.configure();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static KeyVaultStandIn start(Path dir) throws Exception {
        return new KeyVaultStandIn(dir);
    }

    URI vaultUrl() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The secret it holds. */
    void secret(String name, String value) {
        this.secretName = name;
        this.secretValue = value;
        this.status = 200;
    }

    /** Answers every authorised request with this status and Key Vault's error body. */
    void answer(int status) {
        this.status = status;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The SDK's HTTP client, trusting exactly this stand-in's certificate. */
    HttpClient sdkHttpClient() {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(certificate).build();
            return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl))).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), authorization));
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer authorization=\"https://login."
                        + "microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"");
                send(exchange, 401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a"
                        + " Bearer or PoP token.\"}}");
            } else if (!authorization.equals("Bearer " + ACCESS_TOKEN)) {
                send(exchange, 401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"bad token\"}}");
            } else if (status == 403) {
                send(exchange, 403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Caller is not authorized to"
                        + " perform action on resource.\",\"innererror\":{\"code\":\"ForbiddenByRbac\"}}}");
            } else if (status != 200 || secretName == null
                    || !uri.getPath().replaceFirst("/$", "").equals("/secrets/" + secretName)) { // {name}/{version}, version empty
                send(exchange, 404, "{\"error\":{\"code\":\"SecretNotFound\",\"message\":\"A secret with (name/id) "
                        + uri.getPath().replaceFirst("^/secrets/", "").replaceFirst("/$", "") + " was not found in this key"
                        + " vault.\"}}");
            } else {
                String id = vaultUrl() + "/secrets/" + secretName + "/0123456789abcdef0123456789abcdef";
                send(exchange, 200, "{\"value\":\"" + secretValue + "\",\"id\":\"" + id + "\",\"attributes\":"
                        + "{\"enabled\":true,\"created\":1714557330,\"updated\":1714557330,"
                        + "\"recoveryLevel\":\"Recoverable+Purgeable\",\"recoverableDays\":90},\"tags\":{}}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
