package io.stochastic.devops.engine.policy.lint;

/**
 * What {@code policy lint} checks, one rule per kind of problem: the id names it in JSON and
 * SARIF output (where CI tools group and suppress by it).
 */
public enum LintRule {
  UNREADABLE("unreadable", LintSeverity.ERROR,
      "A document that cannot be read as a Kubernetes object: a missing file, malformed YAML or "
          + "JSON, or no apiVersion or kind."),
  UNSUPPORTED_KIND("unsupportedKind", LintSeverity.ERROR,
      "An apiVersion or kind of the devops.stochastic.io group that kube-devops does not serve."),
  UNKNOWN_FIELD("unknownField", LintSeverity.ERROR,
      "A field the DevOpsPolicy schema does not define: the API server would drop it silently, "
          + "kubectl apply --validate=strict rejects it."),
  REQUIRED_FIELD("requiredField", LintSeverity.ERROR, "A required field is missing."),
  INVALID_TYPE("invalidType", LintSeverity.ERROR, "A value of the wrong type."),
  INVALID_VALUE("invalidValue", LintSeverity.ERROR,
      "A value the schema does not allow: not among the enum values, below the minimum, above "
          + "the maximum, not matching the pattern or the format."),
  LIMIT_EXCEEDED("limitExceeded", LintSeverity.ERROR,
      "More items, entries or characters than the schema allows."),
  INVALID_NAME("invalidName", LintSeverity.ERROR,
      "metadata.name missing or not a DNS-1123 subdomain, or metadata.namespace not a DNS-1123 "
          + "label."),
  DUPLICATE_CUSTOM_CHECK("duplicateCustomCheck", LintSeverity.ERROR,
      "Two custom checks of one policy with the same id."),
  CUSTOM_CHECK_SHADOWS_BUILT_IN("customCheckShadowsBuiltIn", LintSeverity.ERROR,
      "A custom check with the id of a built-in check."),
  INVALID_CUSTOM_CHECK("invalidCustomCheck", LintSeverity.ERROR,
      "A custom check whose CEL expression does not compile, or that is otherwise unusable."),
  UNKNOWN_CHECK("unknownCheck", LintSeverity.ERROR,
      "severityOverrides, checkParameters or an exemption names a check id that is neither built in nor a custom "
          + "check of the policy or its bundle."),
  INVALID_CHECK_PARAMETER("invalidCheckParameter", LintSeverity.ERROR,
      "spec.checkParameters sets a parameter the check does not declare, or gives a value of "
          + "another type than the parameter's default (a list, a number, a string, a boolean)."),
  UNKNOWN_KIND("unknownKind", LintSeverity.ERROR,
      "A custom check's kinds names a kind that is neither a built-in workload kind, nor "
          + "declared in spec.workloadKinds of the policy or its bundle, nor the kind of an "
          + "object linted with it: a typo such as Deploymnet, or a custom kind not declared."),
  DUPLICATE_WORKLOAD_KIND("duplicateWorkloadKind", LintSeverity.ERROR,
      "Two entries of spec.workloadKinds for the same kind and group."),
  DUPLICATE_POLICY("duplicatePolicy", LintSeverity.ERROR,
      "A second DevOpsPolicy for one namespace: a namespace has one policy."),
  NOT_A_RISKY_FIX("notARiskyFix", LintSeverity.WARNING,
      "spec.remediation.allowRiskyFixes names a check whose fix is safe (applied anyway) or "
          + "that has no fix: the entry has no effect."),
  STATUS_IGNORED("statusIgnored", LintSeverity.WARNING,
      "A status in a policy file: the API server ignores it; the operator writes it."),
  NAMESPACE_LAYOUT("namespaceLayout", LintSeverity.WARNING,
      "A policy under namespaces/<ns>/ of a policy repository whose metadata.namespace is "
          + "another namespace, or none.");

  private final String id;
  private final LintSeverity severity;
  private final String description;

  LintRule(String id, LintSeverity severity, String description) {
    this.id = id;
    this.severity = severity;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public LintSeverity severity() {
    return severity;
  }

  public String description() {
    return description;
  }
}
