package io.stochastic.devops.engine.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The policy repository layout (DESIGN.md §5): a {@code policies/} directory holding
 * {@code bundles/} and {@code namespaces/<ns>/}. Where the policy commands look when given no
 * path, and which files beside the policies are not policies (a Helm chart, a kustomization).
 */
public final class PolicyRepository {
  public static final String DIRECTORY = "policies";
  private static final Set<String> LAYOUT = Set.of("bundles", "namespaces");
  private static final Set<String> OTHER_FILES = Set.of("chart.yaml", "chart.yml",
      "chart.lock", "values.schema.json", "kustomization.yaml", "kustomization.yml",
      "kustomization");

  private PolicyRepository() {}

  /**
   * The policy repository for a command run in {@code start}: {@code start} itself when it
   * holds {@code bundles/} or {@code namespaces/}, else its {@code policies/} directory when
   * that does, else the same in each parent directory, up to the root of the Git working tree
   * {@code start} is in (never above it). Empty when there is none.
   */
  public static Optional<Path> find(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (isRepository(dir)) {
        return Optional.of(dir);
      }
      Path policies = dir.resolve(DIRECTORY);
      if (isRepository(policies)) {
        return Optional.of(policies);
      }
      if (Files.exists(dir.resolve(".git"))) {
        break; // the working tree's root: a directory above it is another project
      }
    }
    return Optional.empty();
  }

  private static boolean isRepository(Path dir) {
    for (String part : LAYOUT) {
      if (Files.isDirectory(dir.resolve(part))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a file found in a directory tree is not a policy file by its name or place: a
   * Helm chart's {@code Chart.yaml}, {@code values*.yaml} and {@code templates/} (Go
   * templates, not YAML), a kustomization file. Such files sit beside policies and hold no
   * Kubernetes object to lint.
   */
  public static boolean isOtherFile(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return false;
    }
    String lower = name.toString().toLowerCase(Locale.ROOT);
    if (OTHER_FILES.contains(lower) || lower.matches("values([-.][^/]*)?\\.(yaml|yml|json)")) {
      return true;
    }
    for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
      Path dirName = dir.getFileName();
      if (dirName != null && dirName.toString().equals("templates") && dir.getParent() != null
          && (Files.exists(dir.getParent().resolve("Chart.yaml"))
              || Files.exists(dir.getParent().resolve("Chart.yml")))) {
        return true;
      }
    }
    return false;
  }
}
