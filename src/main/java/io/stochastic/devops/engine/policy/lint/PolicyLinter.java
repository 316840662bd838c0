package io.stochastic.devops.engine.policy.lint;

import io.stochastic.devops.api.ApiGroup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.check.CheckCatalog;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.InvalidDocument;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.policy.BundleRepository;
import io.stochastic.devops.engine.policy.CheckParameterRules;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.policy.lint.PolicySchema.SchemaViolation;
import io.stochastic.devops.engine.workload.WorkloadKinds;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.devopspolicyspec.CustomChecks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Lints DevOpsPolicy documents offline, as the API server and kube-devops would judge them:
 *
 * <ul>
 *   <li>apiVersion and kind: a document of the devops.stochastic.io group, or of kind
 *       DevOpsPolicy, must be a {@code devops.stochastic.io/v1} DevOpsPolicy (or
 *       PolicyAuditResult, or a report kube-devops printed, which are skipped);
 *   <li>the CRD's OpenAPI schema, with strict field validation ({@link PolicySchema});
 *   <li>{@code metadata.name} present and a DNS-1123 subdomain, {@code metadata.namespace} a
 *       DNS-1123 label;
 *   <li>custom checks: ids unique in the policy and not those of built-in checks, CEL that
 *       compiles;
 *   <li>check ids in {@code severityOverrides}, exemptions and {@code checkParameters} known
 *       (built in, or custom checks of the policy or its bundle), and each check parameter one
 *       the check declares, with a value of its default's type;
 *   <li>kinds in custom checks known (built-in workload kinds, kinds declared in
 *       {@code spec.workloadKinds} of the policy or its bundle, kinds of the objects linted
 *       with it), and no kind declared twice;
 *   <li>one policy per namespace across every file linted together;
 *   <li>warnings: a status (ignored), and a policy under {@code namespaces/<ns>/} of a policy
 *       repository for another namespace.
 * </ul>
 * Documents that are not policies are counted and skipped, so that a directory of manifests
 * lints too.
 */
public final class PolicyLinter {
  static final String GROUP = ApiGroup.GROUP;
  /** Our group's kinds that are not policies: results, and the reports kube-devops prints. */
  private static final Set<String> OTHER_KINDS = Set.of("PolicyAuditResult", "AuditReport",
      "PolicyLintReport");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern NAMESPACE_DIRECTORY =
      Pattern.compile("(?:^|.*/)namespaces/([^/]+)/[^/]+$");
  private static final Pattern LINE_IN_MESSAGE = Pattern.compile("\\bat line (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<LintProblem> ORDER = Comparator.comparing(LintProblem::file)
      .thenComparingInt(p -> documentIndex(p.document()))
      .thenComparing(p -> p.document() == null ? "" : p.document())
      .thenComparingInt(LintProblem::line)
      .thenComparing(p -> p.field().toString());

  private final PolicySchema schema;
  private final PolicyResolver resolver;
  private final CheckCatalog catalog;
  private final BundleRepository bundles;

  /** Custom checks compile through {@code resolver}, so an audit that lints compiles once. */
  public PolicyLinter(PolicySchema schema, PolicyResolver resolver) {
    this.schema = schema;
    this.resolver = resolver;
    this.catalog = resolver.catalog();
    this.bundles = resolver.bundles();
  }

  /**
   * Lints what was read: each policy, and the policies together; documents that could not be
   * read are problems too ({@link LintRule#UNREADABLE}). Lines come from {@code locator}.
   */
  public LintReport lint(ManifestBatch batch, SourceLocator locator) {
    return lint(batch, locator, Set.of());
  }

  /**
   * @param knownKinds kinds custom checks may name besides the built-in workload kinds, the
   *     declared ones and those of the objects linted (an audit's manifests, its
   *     {@code --workload-kind}s)
   */
  public LintReport lint(ManifestBatch batch, SourceLocator locator, Set<String> knownKinds) {
    List<LintProblem> problems = new ArrayList<>();
    for (InvalidDocument invalid : batch.invalid()) {
      problems.add(unreadable(invalid));
    }
    LintReport policies = lint(batch.objects(), batch.files(), locator, knownKinds);
    problems.addAll(policies.problems());
    problems.sort(ORDER);
    return new LintReport(problems, policies.files(), policies.policies(), policies.ignored());
  }

  /** Lints every object read from {@code files} files; lines come from {@code locator}. */
  public LintReport lint(List<KubeObject> objects, int files, SourceLocator locator) {
    return lint(objects, files, locator, Set.of());
  }

  private LintReport lint(List<KubeObject> objects, int files, SourceLocator locator,
      Set<String> knownKinds) {
    List<Found> found = new ArrayList<>();
    int policies = 0;
    int ignored = 0;
    Map<String, KubeObject> firstByNamespace = new LinkedHashMap<>();
    Set<String> inputKinds = new HashSet<>(knownKinds);
    objects.forEach(o -> inputKinds.add(o.kind()));
    for (KubeObject object : objects) {
      Kind kind = classify(object, found);
      if (kind == Kind.OTHER) {
        ignored++;
        continue;
      }
      policies++;
      if (kind == Kind.WRONG_KIND) {
        continue;
      }
      lintPolicy(object, inputKinds, found);
      duplicate(object, firstByNamespace, found);
    }
    List<LintProblem> problems = new ArrayList<>();
    for (Found f : found) {
      String source = f.object.source();
      int hash = source.lastIndexOf('#');
      problems.add(new LintProblem(f.object.file(), source.substring(hash + 1),
          locator.line(f.object, f.field), f.field, f.message, f.rule, f.rule.severity(),
          policyName(f.object)));
    }
    problems.sort(ORDER);
    return new LintReport(problems, files, policies, ignored);
  }

  private static LintProblem unreadable(InvalidDocument invalid) {
    String source = invalid.source();
    int hash = source.lastIndexOf('#');
    Matcher line = LINE_IN_MESSAGE.matcher(invalid.problem());
    return new LintProblem(hash < 0 ? source : source.substring(0, hash),
        hash < 0 ? null : source.substring(hash + 1), line.find() ? Integer.parseInt(line.group(1))
        : 0, FieldPath.ROOT, invalid.problem(), LintRule.UNREADABLE, LintSeverity.ERROR, null);
  }

  /** Whether a document is a policy to lint, one of ours of the wrong kind, or not ours. */
  private Kind classify(KubeObject object, List<Found> found) {
    String apiVersion = object.apiVersion();
    String kind = object.kind();
    boolean ourGroup = GROUP.equals(object.group());
    boolean policyKind = PolicyDocuments.KIND.equals(kind);
    if (!ourGroup && !policyKind) {
      return Kind.OTHER;
    }
    if (ourGroup && OTHER_KINDS.contains(kind)) {
      return Kind.OTHER;
    }
    if (!policyKind) {
      String hint = PolicyDocuments.KIND.equalsIgnoreCase(kind)
          ? " (did you mean DevOpsPolicy? kinds are case-sensitive)" : "";
      found.add(new Found(object, FieldPath.of("kind"), LintRule.UNSUPPORTED_KIND,
          "unknown kind \"" + kind + "\" in " + GROUP + hint
              + ": the group serves DevOpsPolicy and PolicyAuditResult"));
      return Kind.WRONG_KIND;
    }
    if (!PolicyDocuments.API_VERSION.equals(apiVersion)) {
      found.add(new Found(object, FieldPath.of("apiVersion"), LintRule.UNSUPPORTED_KIND,
          "unsupported apiVersion \"" + apiVersion + "\": DevOpsPolicy is served as "
              + PolicyDocuments.API_VERSION));
      return Kind.WRONG_KIND;
    }
    return Kind.POLICY;
  }

  /** @param inputKinds the kinds of every object linted together */
  private void lintPolicy(KubeObject object, Set<String> inputKinds, List<Found> found) {
    // The reader already drops fields without a value, as the API server does.
    Map<String, Object> content = new LinkedHashMap<>(object.content());
    if (content.remove("status") != null) {
      // With the status subresource the API server ignores status on writes, unvalidated.
      found.add(new Found(object, FieldPath.of("status"), LintRule.STATUS_IGNORED,
          "ignored when the policy is applied (the operator writes the status): remove it"));
    }
    JsonNode tree = JSON.valueToTree(content);
    Set<String> schemaFaults = new HashSet<>();
    List<SchemaViolation> violations = schema.validate(tree);
    Set<FieldPath> wrongType = new HashSet<>();
    violations.stream().filter(v -> v.rule() == LintRule.INVALID_TYPE)
        .forEach(v -> wrongType.add(v.field()));
    for (SchemaViolation v : violations) {
      // A value of the wrong type fails its enum or pattern too: say only what is wrong first.
      if (v.rule() != LintRule.INVALID_TYPE && wrongType.contains(v.field())) {
        continue;
      }
      found.add(new Found(object, v.field(), v.rule(), v.message()));
      schemaFaults.add(v.field().toString());
    }
    lintMetadata(object, tree.path("metadata"), schemaFaults, found);
    JsonNode spec = tree.path("spec");
    Set<String> customIds = lintCustomChecks(object, spec.path("customChecks"), schemaFaults,
        found);
    Set<String> known = new LinkedHashSet<>(customIds);
    known.addAll(bundleCustomChecks(spec.path("bundle").asText(BundleRepository.DEFAULT_BUNDLE)));
    lintCheckReferences(object, spec, known, found);
    lintCheckParameters(object, spec.path("checkParameters"), known, found);
    lintRiskyFixes(object, spec, known, found);
    Set<String> kinds = lintWorkloadKinds(object, spec.path("workloadKinds"), found);
    kinds.addAll(inputKinds);
    kinds.addAll(bundleWorkloadKinds(spec.path("bundle").asText(BundleRepository.DEFAULT_BUNDLE)));
    lintCheckKinds(object, spec.path("customChecks"), kinds, schemaFaults, found);
  }

  /**
   * Lints {@code spec.workloadKinds} (no kind and group twice); returns the built-in workload
   * kinds and the kinds declared.
   */
  private static Set<String> lintWorkloadKinds(KubeObject object, JsonNode declared,
      List<Found> found) {
    Set<String> kinds = new TreeSet<>(WorkloadKinds.BUILT_IN.kindNames());
    Map<String, Integer> firstIndex = new LinkedHashMap<>();
    for (int i = 0; i < declared.size(); i++) {
      JsonNode kind = declared.get(i).path("kind");
      if (!kind.isTextual()) {
        continue;
      }
      kinds.add(kind.asText());
      String name = kind.asText() + "." + declared.get(i).path("group").asText("");
      Integer first = firstIndex.putIfAbsent(name, i);
      if (first != null) {
        found.add(new Found(object, FieldPath.of("spec", "workloadKinds").index(i),
            LintRule.DUPLICATE_WORKLOAD_KIND, "kind " + kind.asText() + " of group \""
                + declared.get(i).path("group").asText("") + "\" is declared twice (also "
                + "spec.workloadKinds[" + first + "])"));
      }
    }
    return kinds;
  }

  /**
   * Each kind a custom check names must be one some workload can have; a check the schema
   * already faults (more kinds than allowed) is not linted further.
   */
  private static void lintCheckKinds(KubeObject object, JsonNode checks, Set<String> known,
      Set<String> schemaFaults, List<Found> found) {
    for (int i = 0; i < checks.size(); i++) {
      String prefix = FieldPath.of("spec", "customChecks").index(i).toString();
      if (schemaFaults.stream().anyMatch(f -> f.startsWith(prefix))) {
        continue;
      }
      JsonNode kinds = checks.get(i).path("kinds");
      for (int j = 0; j < kinds.size(); j++) {
        String kind = kinds.get(j).asText();
        if (!kinds.get(j).isTextual() || known.contains(kind)) {
          continue;
        }
        String closest = Suggestion.closest(kind, known);
        found.add(new Found(object, FieldPath.of("spec", "customChecks").index(i).child("kinds")
            .index(j), LintRule.UNKNOWN_KIND, "unknown kind \"" + kind + "\"" + (closest == null
                ? ": not a built-in workload kind; declare a custom one in spec.workloadKinds"
                : " (did you mean " + closest + "?)")));
      }
    }
  }

  private Set<String> bundleWorkloadKinds(String bundleName) {
    Set<String> kinds = new HashSet<>();
    DevOpsPolicy bundle = bundles.find(bundleName).orElse(null);
    if (bundle != null && bundle.getSpec() != null
        && bundle.getSpec().getWorkloadKinds() != null) {
      bundle.getSpec().getWorkloadKinds().forEach(k -> kinds.add(k.getKind()));
    }
    return kinds;
  }

  private void lintMetadata(KubeObject object, JsonNode metadata, Set<String> schemaFaults,
      List<Found> found) {
    FieldPath namePath = FieldPath.of("metadata", "name");
    JsonNode name = metadata.path("name");
    if (name.isMissingNode() || name.asText().isEmpty()) {
      found.add(new Found(object, namePath, LintRule.INVALID_NAME,
          "required field is missing: a policy is applied by name"));
    } else if (name.isTextual() && !isDnsSubdomain(name.asText())) {
      found.add(new Found(object, namePath, LintRule.INVALID_NAME, "\"" + name.asText()
          + "\" is not a valid name: a lowercase RFC 1123 subdomain (lowercase letters, digits, "
          + "'-' and '.', starting and ending with a letter or digit, at most 253 characters)"));
    }
    FieldPath namespacePath = FieldPath.of("metadata", "namespace");
    JsonNode namespace = metadata.path("namespace");
    if (namespace.isTextual() && !schemaFaults.contains(namespacePath.toString())
        && !isDnsLabel(namespace.asText())) {
      found.add(new Found(object, namespacePath, LintRule.INVALID_NAME, "\"" + namespace.asText()
          + "\" is not a valid namespace: a lowercase RFC 1123 label (lowercase letters, digits "
          + "and '-', starting and ending with a letter or digit, at most 63 characters)"));
    }
    Matcher directory = NAMESPACE_DIRECTORY.matcher(object.file().replace('\\', '/'));
    if (directory.matches()) {
      String expected = directory.group(1);
      if (!namespace.isTextual()) {
        found.add(new Found(object, namespacePath, LintRule.NAMESPACE_LAYOUT,
            "not set, but the file is under namespaces/" + expected + "/: set it to " + expected
                + " so that the policy cannot land in another namespace"));
      } else if (!expected.equals(namespace.asText())) {
        found.add(new Found(object, namespacePath, LintRule.NAMESPACE_LAYOUT, "\""
            + namespace.asText() + "\", but the file is under namespaces/" + expected + "/"));
      }
    }
  }

  /** Lints the custom checks; returns the ids declared. */
  private Set<String> lintCustomChecks(KubeObject object, JsonNode checks,
      Set<String> schemaFaults, List<Found> found) {
    Set<String> ids = new LinkedHashSet<>();
    if (!checks.isArray()) {
      return ids;
    }
    Map<String, Integer> firstIndex = new LinkedHashMap<>();
    String policy = "policy " + policyName(object);
    for (int i = 0; i < checks.size(); i++) {
      JsonNode check = checks.get(i);
      FieldPath at = FieldPath.of("spec", "customChecks").index(i);
      if (!check.path("id").isTextual()) {
        continue;
      }
      String id = check.path("id").asText();
      ids.add(id);
      Integer first = firstIndex.putIfAbsent(id, i);
      if (first != null) {
        found.add(new Found(object, at.child("id"), LintRule.DUPLICATE_CUSTOM_CHECK,
            "duplicate custom check id \"" + id + "\" (also spec.customChecks[" + first + "])"));
        continue;
      }
      if (catalog.contains(id)) {
        found.add(new Found(object, at.child("id"), LintRule.CUSTOM_CHECK_SHADOWS_BUILT_IN,
            "\"" + id + "\" is the id of a built-in check: name the custom check differently, "
                + "or use severityOverrides to change the built-in one"));
        continue;
      }
      String prefix = at.toString();
      boolean schemaValid = schemaFaults.stream().noneMatch(f -> f.startsWith(prefix));
      if (schemaValid && check.path("expression").isTextual()) {
        compile(object, policy, at, check, found);
      }
    }
    return ids;
  }

  private void compile(KubeObject object, String policy, FieldPath at, JsonNode check,
      List<Found> found) {
    CustomChecks model;
    try {
      model = JSON.treeToValue(check, CustomChecks.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return; // the schema violations already say what is wrong with this check
    }
    try {
      resolver.compileCustomCheck(PolicyResolver.customCheckDefinition(policy, model), policy);
    } catch (EngineException e) {
      // CEL reports each error over several lines with a caret; the first line says it.
      String message = e.getMessage();
      int more = message.indexOf(" | ");
      found.add(new Found(object, at.child("expression"), LintRule.INVALID_CUSTOM_CHECK,
          more < 0 ? message : message.substring(0, more)));
    }
  }

  private void lintCheckReferences(KubeObject object, JsonNode spec, Set<String> customIds,
      List<Found> found) {
    JsonNode overrides = spec.path("severityOverrides");
    overrides.fieldNames().forEachRemaining(id -> {
      if (!known(id, customIds)) {
        found.add(new Found(object, FieldPath.of("spec", "severityOverrides", id),
            LintRule.UNKNOWN_CHECK, unknownCheck(id, customIds)));
      }
    });
    JsonNode exemptions = spec.path("exemptions");
    for (int i = 0; i < exemptions.size(); i++) {
      JsonNode checks = exemptions.get(i).path("checks");
      for (int j = 0; j < checks.size(); j++) {
        String id = checks.get(j).asText();
        if (checks.get(j).isTextual() && !known(id, customIds)) {
          found.add(new Found(object, FieldPath.of("spec", "exemptions").index(i)
              .child("checks").index(j), LintRule.UNKNOWN_CHECK, unknownCheck(id, customIds)));
        }
      }
    }
  }

  /** Each parameter a check declares, with a value of the type of its default. */
  private void lintCheckParameters(KubeObject object, JsonNode checks, Set<String> customIds,
      List<Found> found) {
    checks.fieldNames().forEachRemaining(id -> {
      FieldPath at = FieldPath.of("spec", "checkParameters", id);
      if (!known(id, customIds)) {
        found.add(new Found(object, at, LintRule.UNKNOWN_CHECK, unknownCheck(id, customIds)));
        return;
      }
      Map<String, Object> declared = catalog.find(id).map(CheckDefinition::params)
          .orElse(Map.of());
      checks.get(id).fields().forEachRemaining(parameter -> {
        String problem = CheckParameterRules.problem(id, declared, parameter.getKey(),
            JSON.convertValue(parameter.getValue(), Object.class));
        if (problem != null) {
          found.add(new Found(object, at.child(parameter.getKey()),
              LintRule.INVALID_CHECK_PARAMETER, problem));
        }
      });
    });
  }

  private void lintRiskyFixes(KubeObject object, JsonNode spec, Set<String> customIds,
      List<Found> found) {
    JsonNode ids = spec.path("remediation").path(PolicyResolver.ALLOW_RISKY_FIXES);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i).asText();
      FieldPath at = FieldPath.of("spec", "remediation", PolicyResolver.ALLOW_RISKY_FIXES)
          .index(i);
      if (!ids.get(i).isTextual()) {
        continue;
      }
      if (!known(id, customIds)) {
        found.add(new Found(object, at, LintRule.UNKNOWN_CHECK, unknownCheck(id, customIds)));
      } else if (!catalog.find(id).map(CheckDefinition::riskyFix).orElse(false)) {
        found.add(new Found(object, at, LintRule.NOT_A_RISKY_FIX, "check " + id + " has "
            + (catalog.find(id).map(CheckDefinition::remediable).orElse(false)
                ? "a safe fix, applied without being listed here" : "no fix")
            + "; the risky fixes are " + riskyFixes()));
      }
    }
  }

  private String riskyFixes() {
    return catalog.definitions().stream().filter(CheckDefinition::riskyFix)
        .map(CheckDefinition::id).sorted().collect(Collectors.joining(", "));
  }

  private boolean known(String id, Set<String> customIds) {
    return catalog.contains(id) || customIds.contains(id);
  }

  private String unknownCheck(String id, Set<String> customIds) {
    List<String> candidates = new ArrayList<>(customIds);
    catalog.definitions().forEach(d -> candidates.add(d.id()));
    String closest = Suggestion.closest(id, candidates);
    return "unknown check id \"" + id + "\"" + (closest == null
        ? " (see 'kube-devops checks list')" : " (did you mean " + closest + "?)");
  }

  private Set<String> bundleCustomChecks(String bundleName) {
    Set<String> ids = new LinkedHashSet<>();
    DevOpsPolicy bundle = bundles.find(bundleName).orElse(null);
    if (bundle != null && bundle.getSpec() != null && bundle.getSpec().getCustomChecks() != null) {
      bundle.getSpec().getCustomChecks().forEach(c -> ids.add(c.getId()));
    }
    return ids;
  }

  /** One policy per namespace: the second and later ones are errors naming the first. */
  private static void duplicate(KubeObject object, Map<String, KubeObject> firstByNamespace,
      List<Found> found) {
    Object declared = object.metadata().get("namespace");
    if (!(declared instanceof String namespace) || namespace.isEmpty()) {
      return;
    }
    KubeObject first = firstByNamespace.putIfAbsent(namespace, object);
    if (first != null) {
      found.add(new Found(object, FieldPath.of("metadata", "namespace"),
          LintRule.DUPLICATE_POLICY, "a second DevOpsPolicy for namespace " + namespace + ": "
              + policyName(object) + " here and " + policyName(first) + " in " + first.source()
              + " (a namespace has one policy)"));
    }
  }

  private static String policyName(KubeObject object) {
    String name = object.name();
    Object namespace = object.metadata().get("namespace");
    if (name == null || name.isEmpty()) {
      name = "(unnamed)";
    }
    return namespace instanceof String ns && !ns.isEmpty() ? ns + "/" + name : name;
  }

  private static boolean isDnsSubdomain(String name) {
    return name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
  }

  private static boolean isDnsLabel(String name) {
    return name.length() <= 63 && DNS_LABEL.matcher(name).matches();
  }

  private static int documentIndex(String document) {
    if (document == null) {
      return -1;
    }
    int end = 0;
    while (end < document.length() && Character.isDigit(document.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(document.substring(0, end));
  }

  private enum Kind { POLICY, WRONG_KIND, OTHER }

  private record Found(KubeObject object, FieldPath field, LintRule rule, String message) {}
}
