package io.alertrelay.functions;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Run by {@link PackageContentsIT} in a JVM whose classpath is the deployment package alone (the app jar and lib/),
 * as the Java worker loads it: loads, links and initialises every class of our jars and builds the managed-identity
 * credential, so a class that needs something the package left out fails here with NoClassDefFoundError.
 * Prints one line per class that fails and exits 1 if any does.
 */
public final class PackagedClassesCheck {

    private PackagedClassesCheck() {
    }

    public static void main(String[] jars) throws IOException {
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        for (String jar : jars) {
            try (JarFile file = new JarFile(new File(jar))) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    String className = name.substring(0, name.length() - 6).replace('/', '.');
                    try {
                        Class.forName(className, true, PackagedClassesCheck.class.getClassLoader());
                        loaded++;
                    } catch (LinkageError | ClassNotFoundException e) {
                        failures.add(className + ": " + e);
                    }
                }
            }
        }
        try {
            new ManagedIdentityCredentialBuilder().build();
        } catch (LinkageError e) {
            failures.add("ManagedIdentityCredential: " + e);
        }
        failures.forEach(System.out::println);
        System.out.println("loaded " + loaded + " classes, " + failures.size() + " failed");
        System.exit(failures.isEmpty() ? 0 : 1);
    }
}
