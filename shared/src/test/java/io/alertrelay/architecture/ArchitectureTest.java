package io.alertrelay.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.Store;

/** The hexagonal boundary of DESIGN §2, enforced on the compiled classes of {@code shared}. */
@AnalyzeClasses(packages = "io.alertrelay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule sharedNeverUsesTheFunctionsLibrary = noClasses()
            .should().dependOnClassesThat().resideInAPackage("com.microsoft.azure.functions..")
            .because("shared must run, and be tested, without the Azure Functions host (DESIGN §2)");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.alertrelay.(**)")
            .should().beFreeOfCycles()
            .because("every package can be read, tested and changed from its dependencies up");

    @ArchTest
    static final ArchRule noAdapterImportsAnother = slices().matching("io.alertrelay.adapter.(*)..")
            .should().notDependOnEachOther()
            .because("each adapter is one technology; what they share comes from the graph or the domain");

    @ArchTest
    static final ArchRule domainKnowsNoAdapterNorAzureSdk = noClasses()
            .that().resideInAPackage("io.alertrelay.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..",
                    "io.alertrelay.intake..", "io.alertrelay.delivery..", "io.alertrelay.port..", "okhttp3..")
            .because("the domain is plain Java over Jackson; technology lives in adapters");

    @ArchTest
    static final ArchRule portsKnowNoAdapter = noClasses()
            .that().resideInAPackage("io.alertrelay.port..")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..")
            .because("ports are named by capability and must not leak a technology");

    @ArchTest
    static final ArchRule domainRecordsDoNotLiveInPorts = noClasses()
            .that().resideInAPackage("io.alertrelay.port..")
            .should().beRecords()
            .because("a port is a capability (an interface and its failures); the data it carries is the domain's");

    @ArchTest
    static final ArchRule useCasesSeePortsNeverAdaptersOrSdks = noClasses()
            .that().resideInAnyPackage("io.alertrelay.intake..", "io.alertrelay.delivery..", "io.alertrelay.status..")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..",
                    "okhttp3..", "io.netty..", "reactor..")
            .orShould().dependOnClassesThat().areAssignableTo(Store.class)
            .because("each use case depends on the capabilities it uses (DESIGN §2), not on a technology or the "
                    + "whole store");

    @ArchTest
    static final ArchRule oneJsonModel = noClasses()
            .that().doNotHaveFullyQualifiedName("io.alertrelay.domain.Json")
            .should().callConstructorWhere(target(owner(assignableTo(ObjectMapper.class))))
            .orShould().callMethod(JsonMapper.class, "builder")
            .because("the domain's mapper (exact decimals, trailing zeros, duplicate keys refused) is the only one: "
                    + "a default mapper turns 7.50 into 7.5 and 1e400 into Infinity");

    @ArchTest
    static final ArchRule onlyThePipelineLogMakesLogEntries = noClasses()
            .that().resideOutsideOfPackage("io.alertrelay.logging")
            .and().doNotHaveFullyQualifiedName(LogEntry.class.getName())
            .should().callConstructor(LogEntry.class, java.time.Instant.class,
                    io.alertrelay.logging.entry.LogLevel.class, String.class, String.class,
                    io.alertrelay.logging.entry.Stage.class, String.class, String.class, String.class, String.class,
                    Double.class, io.alertrelay.logging.entry.Outcome.class, java.util.Map.class)
            .because("every entry must pass the pipeline log's redaction and property allow-list");
}
