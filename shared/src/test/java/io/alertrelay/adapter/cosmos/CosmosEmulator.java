package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.models.CosmosContainerProperties;
import io.alertrelay.settings.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code @vercel/cosmosdb-server} (a Node implementation of the Cosmos DB REST API, DESIGN §11/§12) run by our
 * launcher {@code tools/cosmos-emulator/launch.js}, one process per test JVM, on a free port of 127.0.0.1.
 *
 * <p>{@link #get()} starts it on first use: runs {@code npm ci} if {@code node_modules} is missing, makes a fresh
 * certificate for localhost/127.0.0.1 with the JDK's keytool, makes the JVM trust it (see {@link #trust}), starts
 * the launcher and waits for its {@code COSMOS_EMULATOR_READY port=…} line. The process ends with the JVM (a
 * shutdown hook, and the launcher exits when its stdin closes, so it never outlives a killed JVM).
 *
 * <p>Without Node.js the tests that use it are skipped with a banner on stderr — except under {@code CI=true},
 * where they fail: CI must run them.
 */
public final class CosmosEmulator {

    /** The emulator checks no signature, but the SDK signs with the key, so it must be base64. Random per run. */
    public static final Secret KEY = new Secret(randomKey());

    private static final Pattern READY = Pattern.compile("COSMOS_EMULATOR_READY port=(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String PACKAGE_VERSION = "1.0.1";

    private static CosmosEmulator instance;
    private static Throwable startFailure;

    private final Process process;
    private final URI endpoint;
    private final Path workDir;
    private final Duration startup;
    private final X509Certificate certificate;
    private CosmosAsyncClient client;

    private CosmosEmulator(Process process, URI endpoint, Path workDir, Duration startup, X509Certificate certificate) {
        this.process = process;
        this.endpoint = endpoint;
        this.workDir = workDir;
        this.startup = startup;
        this.certificate = certificate;
    }

    /** The emulator of this JVM, started on first call; skips (or, under CI=true, fails) the caller without Node. */
    public static synchronized CosmosEmulator get() {
        if (instance != null) {
            instance.keepTrusted();
            return instance;
        }
        if (startFailure instanceof RuntimeException e) {
            throw e;
        }
        if (startFailure instanceof Error e) {
            throw e;
        }
        try {
            requireNode();
            instance = start();
            return instance;
        } catch (RuntimeException | Error e) {
            startFailure = e; // every test class of this JVM gets the same answer, and the banner appears once
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    Duration startup() {
        return startup;
    }

    /** A client for the emulator, shared by the tests (gateway mode, no region discovery). */
    public synchronized CosmosAsyncClient client() {
        if (client == null) {
            client = clientBuilder().buildAsyncClient();
        }
        return client;
    }

    CosmosClientBuilder clientBuilder() {
        return new CosmosClientBuilder()
                .endpoint(endpoint.toString())
                .key(KEY.reveal())
                .gatewayMode()
                .endpointDiscoveryEnabled(false)
                .contentResponseOnWriteEnabled(true);
    }

    /** Creates the database and container (partition key /tenant) if absent, as the infrastructure does in Azure. */
    public CosmosAsyncContainer createContainer(String database, String container) {
        CosmosAsyncClient c = client();
        c.createDatabaseIfNotExists(database).block(Duration.ofSeconds(10));
        c.getDatabase(database).createContainerIfNotExists(new CosmosContainerProperties(container, "/tenant"))
                .block(Duration.ofSeconds(10));
        return c.getDatabase(database).getContainer(container);
    }

    // ---- start-up

    private static void requireNode() {
        String node = version("node");
        String npm = version("npm");
        if (node != null && npm != null) {
            return;
        }
        String missing = node == null ? "node" : "npm";
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String banner = "\n"
                + "************************************************************************************\n"
                + "*  COSMOS ADAPTER TESTS " + (ci ? "FAILED" : "SKIPPED") + ": '" + missing + "' is not on the PATH.\n"
                + "*  They run CosmosAlertStore against @vercel/cosmosdb-server (tools/cosmos-emulator),\n"
                + "*  which needs Node.js >= 20 and npm (Debian: apt-get install nodejs npm).\n"
                + (ci ? "*  CI=true: CI must run them, so this is a failure, not a skip.\n"
                      : "*  Nothing about the Cosmos adapter was tested in this run.\n")
                + "************************************************************************************\n";
        System.err.print(banner);
        System.err.flush();
        if (ci) {
            Assertions.fail("Node.js/npm missing under CI=true: the Cosmos adapter tests cannot run (" + missing + ")");
        }
        Assumptions.abort(missing + " not found: Cosmos adapter tests skipped (see banner on stderr)");
    }

    private static String version(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static CosmosEmulator start() {
        long t0 = System.nanoTime();
        Path tools = repoRoot().resolve("tools").resolve("cosmos-emulator");
        Path workDir = null;
        try {
            installPackages(tools);
            workDir = Files.createTempDirectory("cosmos-emulator-");
            Path cert = workDir.resolve("cert.pem");
            Path key = workDir.resolve("key.pem");
            X509Certificate certificate = makeCertificate(workDir, cert, key);
            trust(certificate, workDir.resolve("truststore.p12"));

            Process process = new ProcessBuilder("node", tools.resolve("launch.js").toString(),
                    "--port", "0", "--host", "127.0.0.1", "--cert", cert.toString(), "--key", key.toString(),
                    "--exit-with-stdin")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int port = awaitPort(process);
            CosmosEmulator emulator = new CosmosEmulator(process, URI.create("https://localhost:" + port + "/"),
                    workDir, Duration.ofNanos(System.nanoTime() - t0), certificate);
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "cosmos-emulator-stop"));
            System.err.println("cosmos-emulator: listening on " + emulator.endpoint + " (started in "
                    + emulator.startup.toMillis() + " ms)");
            return emulator;
        } catch (IOException e) {
            deleteTree(workDir);
            throw new UncheckedIOException("cannot start the Cosmos emulator", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteTree(workDir);
            throw new IllegalStateException("interrupted while starting the Cosmos emulator", e);
        }
    }

    /** {@code npm ci} from the committed lockfile when node_modules lacks the pinned server (first run, fresh clone). */
    private static void installPackages(Path tools) throws IOException, InterruptedException {
        Path installed = tools.resolve("node_modules/@vercel/cosmosdb-server/package.json");
        // One npm ci at a time on this machine (two modules' test JVMs could start together).
        Path lockFile = Paths.get(System.getProperty("java.io.tmpdir"), "alertrelay-cosmos-emulator-npm.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.exists(installed)
                    && Files.readString(installed).contains("\"version\": \"" + PACKAGE_VERSION + "\"")) {
                return;
            }
            System.err.println("cosmos-emulator: npm ci --prefix " + tools);
            Path log = Files.createTempFile("cosmos-emulator-npm-", ".log");
            Process npm = new ProcessBuilder("npm", "ci", "--prefix", tools.toString(), "--no-audit", "--no-fund")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci did not finish within 5 minutes; log: " + log);
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed (exit " + npm.exitValue() + "):\n"
                        + tail(Files.readString(log), 3000));
            }
            Files.deleteIfExists(log);
        }
    }

    /**
     * A self-signed certificate for localhost and 127.0.0.1, valid a few days, from the JDK's keytool; written as
     * PEM (certificate, PKCS#8 key) for Node.
     */
    private static X509Certificate makeCertificate(Path dir, Path certPem, Path keyPem)
            throws IOException, InterruptedException {
        Path keystore = dir.resolve("server.p12");
        String password = randomKey().substring(0, 24);
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "emulator",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool -genkeypair failed: " + out);
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            X509Certificate cert = (X509Certificate) ks.getCertificate("emulator");
            byte[] key = ks.getKey("emulator", password.toCharArray()).getEncoded(); // PKCS#8
            Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", key));
            return cert;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the keystore keytool wrote", e);
        }
    }

    /**
     * Makes the JVM trust {@code cert}. The Cosmos SDK takes no SSL context: in gateway mode it builds a Netty
     * client context with the JDK's default trust manager, which reads {@code javax.net.ssl.trustStore} when the
     * client is built. So this writes a trust store holding everything the JVM trusted until now (the JDK's CAs,
     * or whatever store another test had set) plus this certificate, and points the property at it — adding to
     * the trust, never replacing it.
     */
    private static void trust(X509Certificate cert, Path file) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            List<X509Certificate> trusted = new ArrayList<>();
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    trusted.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : trusted) {
                store.setCertificateEntry("trusted-" + i++, c);
            }
            store.setCertificateEntry("alertrelay-cosmos-emulator", cert);
            char[] password = "alertrelay-test".toCharArray();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            System.setProperty("javax.net.ssl.trustStore", file.toString());
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            System.setProperty("javax.net.ssl.trustStorePassword", new String(password));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test trust store", e);
        }
    }

    /** If another test pointed javax.net.ssl.trustStore elsewhere since, add the certificate to that store too. */
    private void keepTrusted() {
        String ours = workDir.resolve("truststore.p12").toString();
        if (!ours.equals(System.getProperty("javax.net.ssl.trustStore"))) {
            trust(certificate, workDir.resolve("truststore.p12"));
        }
    }

    private static int awaitPort(Process process) throws InterruptedException {
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(256);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.offer(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "cosmos-emulator-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                seen.append(line).append('\n');
            } else if (!process.isAlive()) {
                throw new IllegalStateException("the Cosmos emulator exited with " + process.exitValue()
                        + " before it was ready (its stderr is above)\n" + seen);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the Cosmos emulator printed no ready line within " + START_TIMEOUT + "\n" + seen);
    }

    private void stop() {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // the JVM is ending
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(workDir);
    }

    /** The checkout: system property alertrelay.root (surefire sets it), else up from user.dir to the root pom. */
    static Path repoRoot() {
        String root = System.getProperty("alertrelay.root");
        if (root != null && !root.isBlank() && Files.isDirectory(Paths.get(root, "tools", "cosmos-emulator"))) {
            return Paths.get(root).toAbsolutePath().normalize();
        }
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/cosmos-emulator/launch.js"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find tools/cosmos-emulator: set -Dalertrelay.root to the checkout");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String randomKey() {
        byte[] bytes = new byte[64];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }
}
