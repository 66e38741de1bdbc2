package io.alertrelay.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The deployment package as Azure receives it: the folder azure-functions-maven-plugin wrote, zipped at its root as
 * the pipeline zips it. It stays at most 25 MiB, carries native code only for the Functions Linux workers
 * (x86-64), and every class of ours loads from the package alone.
 */
class PackageContentsIT {

    static final long MAX_ZIP_BYTES = 25L * 1024 * 1024;
    private final Path staging = Path.of(System.getProperty("functions.staging", "target/azure-functions/alert-relay"));

    @Test
    void theZippedPackageIsAtMost25MiB() throws IOException {
        Path zip = Files.createTempFile("alert-relay", ".zip");
        try {
            zipFolder(staging, zip);
            long size = Files.size(zip);
            System.out.printf("deployment package: %,d bytes (%.1f MiB) zipped%n", size, size / 1048576.0);
            assertThat(size).isLessThanOrEqualTo(MAX_ZIP_BYTES);
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    @Test
    void nativeCodeIsForLinuxX8664Only() throws IOException {
        List<String> foreign = new ArrayList<>();
        for (Path jar : jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                // A library's platform is in its jar's classifier (…-linux-x86_64.jar) or in its own path.
                file.stream().map(e -> (jar.getFileName() + "!" + e.getName()).toLowerCase(Locale.ROOT))
                        .filter(n -> n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".jnilib") || n.endsWith(".dylib"))
                        .filter(n -> !(n.contains("linux") && (n.contains("x86_64") || n.contains("amd64"))))
                        .forEach(foreign::add);
            }
        }
        assertThat(foreign).isEmpty();
        assertThat(jars()).extracting(p -> p.getFileName().toString())
                .noneMatch(n -> n.startsWith("jna-") || n.startsWith("msal4j-persistence-extension"));
    }

    @Test
    void everyClassOfOursLoadsFromThePackageAlone() throws Exception {
        Path appJar = appJar();
        Path sharedJar = jars().stream().filter(p -> p.getFileName().toString().startsWith("alert-relay-shared"))
                .findFirst().orElseThrow();
        // The worker itself provides the SPI (FunctionInstanceInjector): on its classpath, not in the package.
        String spi = java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("azure-functions-java-spi")).findFirst().orElseThrow();
        String classpath = appJar + File.pathSeparator + staging.resolve("lib") + File.separator + "*"
                + File.pathSeparator + spi + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, PackagedClassesCheck.class.getName(), appJar.toString(), sharedJar.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("0 failed");
    }

    @Test
    void theInjectorIsRegisteredForTheWorkersServiceLoaderAndTheSpiIsNotPackaged() throws IOException {
        try (JarFile app = new JarFile(appJar().toFile())) {
            var entry = app.getEntry("META-INF/services/com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector");
            assertThat(entry).as("the service registration the worker reads").isNotNull();
            assertThat(new String(app.getInputStream(entry).readAllBytes()).trim())
                    .isEqualTo(AlertRelayInjector.class.getName());
        }
        assertThat(jars()).extracting(p -> p.getFileName().toString())
                .noneMatch(n -> n.startsWith("azure-functions-java-spi"));
    }

    private Path appJar() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            return files.filter(f -> f.getFileName().toString().startsWith("alert-relay-functions")
                    && f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    private List<Path> jars() throws IOException {
        try (Stream<Path> files = Files.list(staging.resolve("lib"))) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** As the pipeline does: every file under the folder, paths relative to it, deflated. */
    static void zipFolder(Path folder, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
    }
}
