package io.stochastic.devops.deploy;

import io.stochastic.devops.deploy.RbacModel.ComponentRbac;
import io.stochastic.devops.deploy.RbacRule.Scope;
import io.stochastic.devops.kube.ObjectYaml;
import java.util.List;

/**
 * The rules of {@link RbacModel} as the Helm chart reads them ({@code
 * helm/kube-devops/files/rbac/rules.yaml}): per component, the cluster-wide and own-namespace
 * rules, each under its reason as a comment. The chart's roles are built from this file, so they
 * carry exactly the rules {@code deploy generate-rbac} prints; {@code ShippedRbacTest} keeps the
 * file equal to this output.
 */
public final class ChartRbacRules {
  /** Where the chart keeps the file, relative to the repository. */
  public static final String PATH = "helm/kube-devops/files/rbac/rules.yaml";
  private static final ObjectYaml YAML = ObjectYaml.asIs();

  private ChartRbacRules() {}

  /** The file's text for the components of {@code model}. */
  public static String yaml(List<ComponentRbac> components) {
    StringBuilder out = new StringBuilder();
    ManifestText.comment(out, "Generated from io.stochastic.devops.deploy.RbacModel (the rules "
        + "`kube-devops deploy generate-rbac` prints): change the model and run `./mvnw test "
        + "-Dtest=ShippedRbacTest -Dkube-devops.update-docs=true` rather than editing this file.");
    for (ComponentRbac rbac : components) {
      out.append(rbac.component().id()).append(":\n");
      for (Scope scope : Scope.values()) {
        List<RbacRule> rules = rbac.rules(scope);
        String key = scope == Scope.CLUSTER ? "cluster" : "namespace";
        if (rules.isEmpty()) {
          out.append("  ").append(key).append(": []\n");
          continue;
        }
        out.append("  ").append(key).append(":\n");
        for (RbacRule rule : rules) {
          StringBuilder why = new StringBuilder();
          ManifestText.comment(why, rule.why());
          why.toString().lines().forEach(line -> out.append("    ").append(line).append('\n'));
          String body = YAML.write(ManifestText.map(rule.policyRule()));
          boolean first = true;
          for (String line : body.split("\n")) {
            out.append(first ? "    - " : "      ").append(line).append('\n');
            first = false;
          }
        }
      }
    }
    return out.toString();
  }
}
