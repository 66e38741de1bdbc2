package io.alertrelay.functions;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The function app's own classes: thin functions over the graph, and the domain's JSON model only. */
@AnalyzeClasses(packages = "io.alertrelay.functions", importOptions = ImportOption.DoNotIncludeTests.class)
class FunctionsArchitectureTest {

    @ArchTest
    static final ArchRule oneJsonModel = noClasses()
            .should().callConstructorWhere(target(owner(assignableTo(ObjectMapper.class))))
            .orShould().callMethod(JsonMapper.class, "builder")
            .because("the domain's mapper (io.alertrelay.domain.Json) is the only one in shared and functions");

    @ArchTest
    static final ArchRule functionsSeeUseCasesNotAdapters = noClasses()
            .that().haveSimpleNameNotStartingWith("AzureAdapters")
            .and().haveSimpleNameNotStartingWith("AppGraph")
            .and().haveSimpleNameNotStartingWith("AppCredential")
            .should().dependOnClassesThat().resideInAnyPackage("io.alertrelay.adapter..", "com.azure..")
            .because("adapters are built in one place (AzureAdapters) and wired in one graph (AppGraph)");
}
