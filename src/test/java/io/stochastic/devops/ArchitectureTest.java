package io.stochastic.devops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (DESIGN.md §5): {@code api} depends on nothing of ours, the engine on
 * {@code api} and the generated model only, the shared layers ({@code report}, {@code kube},
 * {@code helm}, {@code metrics}, {@code runtime}) on the engine, the components (auditor, sync,
 * operator, webhook, watch, deploy) on those and never on each other, and only {@code cli} — the
 * composition root — on everything.
 */
class ArchitectureTest {
  private static final String ROOT = "io.stochastic.devops";
  private static final List<String> COMPONENTS =
      List.of("auditor", "gitops", "operator", "webhook", "watch", "deploy");
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  private static String pkg(String name) {
    return ROOT + "." + name + "..";
  }

  private static String[] packages(List<String> names) {
    return names.stream().map(ArchitectureTest::pkg).toArray(String[]::new);
  }

  @Test
  void apiDependsOnNothingOfOurs() {
    List<String> others = new ArrayList<>(COMPONENTS);
    others.addAll(List.of("engine", "report", "kube", "helm", "metrics", "runtime", "cli", "v1"));
    noClasses().that().resideInAPackage(pkg("api")).should().dependOnClassesThat()
        .resideInAnyPackage(packages(others)).check(classes);
  }

  @Test
  void theEngineKnowsNothingOfHowItIsCalled() {
    List<String> outer = new ArrayList<>(COMPONENTS);
    outer.addAll(List.of("report", "kube", "helm", "metrics", "runtime", "cli"));
    noClasses().that().resideInAPackage(pkg("engine")).should().dependOnClassesThat()
        .resideInAnyPackage(packages(outer)).check(classes);
  }

  @Test
  void sharedLayersDependOnNoComponent() {
    List<String> outer = new ArrayList<>(COMPONENTS);
    outer.add("cli");
    for (String layer : List.of("report", "kube", "helm", "metrics", "runtime")) {
      ArchRule rule = noClasses().that().resideInAPackage(pkg(layer)).should()
          .dependOnClassesThat().resideInAnyPackage(packages(outer));
      rule.allowEmptyShould(true).check(classes);
    }
  }

  /**
   * Helm is a native library loaded on first use: only the {@code helm} package may touch it, so
   * that every other path (a plain audit, the cluster components) never loads it.
   */
  @Test
  void onlyTheHelmPackageUsesHelm() {
    noClasses().that().resideOutsideOfPackage(pkg("helm")).should().dependOnClassesThat()
        .resideInAPackage("com.marcnuri.helm..").check(classes);
  }

  @Test
  void componentsDoNotDependOnEachOther() {
    for (String component : COMPONENTS) {
      List<String> others = new ArrayList<>(COMPONENTS);
      others.remove(component);
      others.add("cli");
      noClasses().that().resideInAPackage(pkg(component)).should().dependOnClassesThat()
          .resideInAnyPackage(packages(others)).allowEmptyShould(true).check(classes);
    }
  }
}
