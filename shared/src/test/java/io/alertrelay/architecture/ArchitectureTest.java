package io.alertrelay.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The hexagonal boundary of DESIGN §2, enforced on the compiled classes of {@code shared}. */
@AnalyzeClasses(packages = "io.alertrelay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule sharedNeverUsesTheFunctionsLibrary = noClasses()
            .should().dependOnClassesThat().resideInAPackage("com.microsoft.azure.functions..")
            .because("shared must run, and be tested, without the Azure Functions host (DESIGN §2)");

    @ArchTest
    static final ArchRule domainKnowsNoAdapterNorAzureSdk = noClasses()
            .that().resideInAPackage("io.alertrelay.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..",
                    "io.alertrelay.intake..", "okhttp3..")
            .because("the domain is plain Java over Jackson; technology lives in adapters");

    @ArchTest
    static final ArchRule portsKnowNoAdapter = noClasses()
            .that().resideInAPackage("io.alertrelay.port..")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..")
            .because("ports are named by capability and must not leak a technology");

    @ArchTest
    static final ArchRule useCasesReachAzureOnlyThroughPorts = noClasses()
            .that().resideInAPackage("io.alertrelay.intake..")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..")
            .because("the webhook use case talks to the bus and the store through their ports");
}
