package io.alertrelay.adapter.logs;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for localhost / 127.0.0.1, made once per JVM with the JDK's keytool in a temp folder
 * removed when the JVM exits;
 * the receiver serves it and the SDK's HTTP client trusts exactly it (no global trust store is touched).
 */
final class TestCertificate {

    static final char[] PASSWORD = "receiver-pass".toCharArray();
    private static TestCertificate instance;

    private final Path keyStoreFile;
    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private TestCertificate(Path keyStoreFile) throws Exception {
        this.keyStoreFile = keyStoreFile;
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        certificate = (X509Certificate) keyStore.getCertificate("receiver");
    }

    static synchronized TestCertificate get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("alertrelay-logs-tls");
                Path file = dir.resolve("receiver.p12");
                dir.toFile().deleteOnExit(); // removed at exit in reverse order: the file, then its folder
                file.toFile().deleteOnExit();
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "receiver",
                        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                        "-storetype", "PKCS12", "-keystore", file.toString(),
                        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
                instance = new TestCertificate(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    Path keyStoreFile() {
        return keyStoreFile;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** The server side: serves the certificate. */
    SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SDK's HTTP client (azure-core-http-netty over reactor-netty) trusting only this certificate. */
    HttpClient sdkHttpClient() {
        return sdkHttpClient(certificate);
    }

    static HttpClient sdkHttpClient(X509Certificate trusted) {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(trusted).build();
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl));
            return new NettyAsyncHttpClientBuilder(netty).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
