package io.stochastic.devops.engine.vap;

import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.ApiGroup;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.check.CelEnvironment;
import io.stochastic.devops.engine.check.CelEnvironment.References;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.check.Target;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.Exemption;
import io.stochastic.devops.engine.workload.ContainerType;
import io.stochastic.devops.engine.workload.WorkloadKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A policy's checks as Kubernetes ValidatingAdmissionPolicies: one policy and one binding per
 * check whose CEL the API server can run (see docs/vap.md). The translation reads only the check
 * definitions — target, container lists, kinds, {@code when}, {@code expression}, {@code value},
 * {@code params} and the message template — so a new check exports without code of its own:
 *
 * <ul>
 *   <li>our variables are VAP {@code variables} ({@code podSpec}, {@code podMetadata}, found where
 *       each workload kind keeps its pod template), bound to the names the check reads with a
 *       one-element comprehension ({@code [variables.podSpec].map(podSpec, ...)[0]}), since the
 *       API server's CEL has no {@code cel.bind};
 *   <li>a container check becomes an {@code all} over each container list it looks at, a
 *       {@code when} a guard ({@code !when || expression});
 *   <li>{@code quantity(x)}, a number here, becomes {@code quantity(string(x)).asApproximateFloat()};
 *   <li>the message template becomes a {@code messageExpression}: one message per failing
 *       container, as the engine reports them, joined with {@code "; "};
 *   <li>the exemption annotations (ours and Polaris's), controlled objects (judged through their
 *       controller, as the webhook does) and the policy's {@code spec.exemptions} become
 *       {@code matchConditions}; the binding selects the policy's namespace, or every namespace
 *       but the system ones.
 * </ul>
 *
 * A check that reads other objects ({@code related}), runtime status, or calls a function the
 * API server's CEL lacks stays with the webhook or the operator: {@link #obstacle} says why.
 */
public final class VapExporter {
  public static final String API_VERSION = "admissionregistration.k8s.io/v1";
  public static final String POLICY_KIND = "ValidatingAdmissionPolicy";
  public static final String BINDING_KIND = "ValidatingAdmissionPolicyBinding";
  /** Label of each exported object: the id of the check it enforces. */
  public static final String CHECK_LABEL = ApiGroup.GROUP + "/check";
  /** Annotation of each exported policy: the check's severity in the policy. */
  public static final String SEVERITY_ANNOTATION = ApiGroup.GROUP + "/severity";
  public static final String NAMESPACE_LABEL = "kubernetes.io/metadata.name";

  /** What the binding does with a failure. */
  public enum Action {
    /** Deny at or above the policy's denySeverity, warn below it. */
    DENY("Deny"),
    WARN("Warn"),
    AUDIT("Audit");

    private final String id;

    Action(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Action parse(String value) {
      for (Action a : values()) {
        if (a.id.equalsIgnoreCase(value == null ? "" : value.strip())) {
          return a;
        }
      }
      throw new IllegalArgumentException("unknown action '" + value
          + "' (expected Deny, Warn or Audit)");
    }
  }

  /** A check that does not export, and why. */
  public record Kept(String id, String reason) {
    /** The line {@code policy export-vap} prints on stderr. */
    public String line() {
      return "stays with the webhook / operator: " + id + " (" + reason + ")";
    }
  }

  /** The objects to apply (each policy followed by its binding) and the checks left out. */
  public record Export(List<Map<String, Object>> objects, List<Kept> kept) {}

  /** An API resource a check can be matched on. */
  public record Resource(String group, String plural, boolean clusterScoped) {}

  /** The API resource of a kind exported policies match (a workload or object kind). */
  public static Optional<Resource> resource(String kind) {
    Resource workload = WORKLOAD_RESOURCES.get(kind);
    return Optional.ofNullable(workload != null ? workload : OBJECT_RESOURCES.get(kind));
  }

  private static final Map<String, Resource> WORKLOAD_RESOURCES = Map.of(
      "Pod", new Resource("", "pods", false),
      "Deployment", new Resource("apps", "deployments", false),
      "StatefulSet", new Resource("apps", "statefulsets", false),
      "DaemonSet", new Resource("apps", "daemonsets", false),
      "ReplicaSet", new Resource("apps", "replicasets", false),
      "ReplicationController", new Resource("", "replicationcontrollers", false),
      "Job", new Resource("batch", "jobs", false),
      "CronJob", new Resource("batch", "cronjobs", false));

  /** The kinds {@code target: object} checks may judge in the API server. */
  private static final Map<String, Resource> OBJECT_RESOURCES = Map.ofEntries(
      Map.entry("ConfigMap", new Resource("", "configmaps", false)),
      Map.entry("Secret", new Resource("", "secrets", false)),
      Map.entry("Service", new Resource("", "services", false)),
      Map.entry("ServiceAccount", new Resource("", "serviceaccounts", false)),
      Map.entry("PersistentVolumeClaim", new Resource("", "persistentvolumeclaims", false)),
      Map.entry("LimitRange", new Resource("", "limitranges", false)),
      Map.entry("ResourceQuota", new Resource("", "resourcequotas", false)),
      Map.entry("Ingress", new Resource("networking.k8s.io", "ingresses", false)),
      Map.entry("NetworkPolicy", new Resource("networking.k8s.io", "networkpolicies", false)),
      Map.entry("HorizontalPodAutoscaler",
          new Resource("autoscaling", "horizontalpodautoscalers", false)),
      Map.entry("PodDisruptionBudget", new Resource("policy", "poddisruptionbudgets", false)),
      Map.entry("Role", new Resource("rbac.authorization.k8s.io", "roles", false)),
      Map.entry("RoleBinding", new Resource("rbac.authorization.k8s.io", "rolebindings", false)),
      Map.entry("ClusterRole", new Resource("rbac.authorization.k8s.io", "clusterroles", true)),
      Map.entry("ClusterRoleBinding",
          new Resource("rbac.authorization.k8s.io", "clusterrolebindings", true)));

  /** Variables only a running pod has: the operator's audits see them, admission does not. */
  private static final Set<String> RUNTIME_VARIABLES = Set.of("podStatus", "containerStatus",
      "now");

  /**
   * The functions of the API server's CEL (Kubernetes 1.30 and later: standard CEL, optional
   * types, the strings, lists and sets extensions, Kubernetes's lists, regex, URL and quantity
   * libraries) that checks may call; operators are always there. {@code quantity} is rewritten.
   */
  private static final Set<String> API_SERVER_FUNCTIONS = Set.of(
      "size", "matches", "contains", "startsWith", "endsWith", "int", "uint", "double",
      "string", "bytes", "bool", "type", "dyn", "duration", "timestamp",
      "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek",
      "getHours", "getMinutes", "getSeconds", "getMilliseconds",
      "optional.of", "optional.none", "optional.ofNonZeroValue", "orValue", "hasValue", "value",
      "or", "charAt", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "replace", "split",
      "substring", "trim", "join", "format", "strings.quote", "reverse",
      "flatten", "slice", "distinct", "sort", "first", "last", "lists.range",
      "isSorted", "sum", "min", "max", "find", "findAll",
      "sets.contains", "sets.equivalent", "sets.intersects",
      "url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath",
      "getQuery", "quantity", "isQuantity");

  /**
   * Checks whose translation the API server does not judge as the engine does, on a fixture of
   * theirs (VapParityIT), with the reason: they are not exported.
   */
  private static final Map<String, String> NO_PARITY = Map.of(
      "oneController", "the API server itself refuses an object with two controller owners, "
          + "and admission leaves an object with one to its controller: nothing is left for a "
          + "policy to judge",
      "pssProcMount", "the API server itself refuses every object it fails (an Unmasked /proc "
          + "needs hostUsers: false), so no object reaches a policy to be denied",
      "cronJobRestartPolicyInvalid", "the API server itself refuses every CronJob it fails (a "
          + "Job's pods restart Never or OnFailure), so no object reaches a policy to be denied: "
          + "the check is for manifests before they are applied");

  private static final Pattern TEMPLATE_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  private final CelEnvironment cel;
  private final Collection<String> systemNamespaces;

  /**
   * @param systemNamespaces namespaces a policy for all namespaces never covers (the engine's
   *     system namespaces and kube-devops's own)
   */
  public VapExporter(CelEnvironment cel, Collection<String> systemNamespaces) {
    this.cel = cel;
    this.systemNamespaces = new TreeSet<>(systemNamespaces);
  }

  /**
   * Why a check cannot be enforced by the API server, or empty when it exports. A check of a
   * policy for one namespace that judges cluster-scoped objects is left out by {@link #export}.
   */
  public Optional<String> obstacle(CheckDefinition check) {
    String noParity = NO_PARITY.get(check.id());
    if (noParity != null && !check.custom()) {
      return Optional.of(noParity);
    }
    References refs = references(check);
    Set<String> runtime = new TreeSet<>(refs.identifiers());
    runtime.retainAll(RUNTIME_VARIABLES);
    if (check.category() == Category.RUNTIME || !runtime.isEmpty()) {
      return Optional.of("reads runtime status" + (runtime.isEmpty() ? ""
          : " (" + String.join(", ", runtime) + ")") + ", which only the operator's audits of "
          + "running pods see");
    }
    if (refs.functions().contains("related")) {
      return Optional.of("reads other objects with related(" + String.join(", ",
          check.relatedKinds()) + "), which admission of one object does not see");
    }
    Set<String> missing = new TreeSet<>();
    for (String function : refs.functions()) {
      boolean operator = function.startsWith("_") || function.startsWith("@")
          || function.startsWith("!");
      if (!operator && !API_SERVER_FUNCTIONS.contains(function)) {
        missing.add(function + "()");
      }
    }
    if (!missing.isEmpty()) {
      return Optional.of("calls " + String.join(", ", missing)
          + ", which the API server's CEL lacks");
    }
    if (check.target() == Target.OBJECT) {
      Set<String> unknown = new TreeSet<>(check.kinds());
      unknown.removeAll(OBJECT_RESOURCES.keySet());
      if (!unknown.isEmpty()) {
        return Optional.of("judges " + String.join(", ", unknown)
            + " objects, whose API resource the exporter does not know");
      }
    } else if (workloadKinds(check).isEmpty()) {
      return Optional.of("applies to no built-in workload kind");
    }
    return Optional.empty();
  }

  /**
   * The policies and bindings of {@code policy}'s exportable checks.
   *
   * @param name names the exported objects ({@code kube-devops-<name>-<check>}) and labels them
   * @param namespace the namespace the policy governs; null: every namespace but the system ones
   */
  public Export export(EffectivePolicy policy, String name, String namespace, Action action) {
    List<Map<String, Object>> objects = new ArrayList<>();
    List<Kept> kept = new ArrayList<>();
    String prefix = "kube-devops-" + dnsName(name);
    for (ActiveCheck active : policy.checks()) {
      CheckDefinition check = active.check().definition();
      Optional<String> obstacle = obstacle(check);
      if (obstacle.isEmpty() && namespace != null && check.target() == Target.OBJECT
          && check.kinds().stream().anyMatch(k -> OBJECT_RESOURCES.get(k).clusterScoped())) {
        obstacle = Optional.of("judges cluster-scoped " + String.join(", ", check.kinds())
            + " objects, which a namespace's policy does not govern");
      }
      if (obstacle.isPresent()) {
        kept.add(new Kept(check.id(), obstacle.get()));
        continue;
      }
      String objectName = prefix + "-" + kebab(check.id());
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_KUBE_DEVOPS);
      labels.put(Labels.POLICY, labelValue(name));
      labels.put(CHECK_LABEL, check.id());
      objects.add(policyObject(objectName, labels, policy, active));
      objects.add(binding(objectName, labels, namespace, actionFor(action, policy, active)));
    }
    return new Export(objects, kept);
  }

  private static String actionFor(Action action, EffectivePolicy policy, ActiveCheck check) {
    if (action != Action.DENY) {
      return action.id();
    }
    Severity deny = policy.denySeverity() == null ? Severity.HIGH : policy.denySeverity();
    return check.severity().isAtLeast(deny) ? Action.DENY.id() : Action.WARN.id();
  }

  private References references(CheckDefinition check) {
    Set<String> identifiers = new TreeSet<>();
    Set<String> functions = new TreeSet<>();
    for (String text : new String[] {check.when(), check.expression(), check.value()}) {
      if (text != null) {
        References refs = cel.references(text);
        identifiers.addAll(refs.identifiers());
        functions.addAll(refs.functions());
      }
    }
    return new References(identifiers, functions);
  }

  private static List<String> workloadKinds(CheckDefinition check) {
    List<String> kinds = new ArrayList<>();
    for (WorkloadKind kind : WorkloadKind.values()) {
      if (check.appliesToWorkloadKind(kind.kind())) {
        kinds.add(kind.kind());
      }
    }
    return kinds;
  }

  private Map<String, Object> policyObject(String name, Map<String, Object> labels,
      EffectivePolicy policy, ActiveCheck active) {
    CheckDefinition check = active.check().definition();
    boolean workload = check.target() != Target.OBJECT;
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("failurePolicy", "Fail");
    List<String> kinds = workload ? workloadKinds(check) : List.copyOf(check.kinds());
    spec.put("matchConstraints", Map.of("resourceRules",
        resourceRules(kinds, workload ? WORKLOAD_RESOURCES : OBJECT_RESOURCES)));
    spec.put("matchConditions", matchConditions(policy, check, workload));
    if (workload) {
      spec.put("variables", List.of(
          variable("podTemplate", "object.kind == 'Pod' ? object"
              + " : object.kind == 'CronJob'"
              + " ? object.spec.?jobTemplate.?spec.?template.orValue({})"
              + " : object.spec.?template.orValue({})"),
          variable("podSpec", "variables.podTemplate.?spec.orValue({})"),
          variable("podMetadata", "variables.podTemplate.?metadata.orValue({})")));
    }
    Map<String, Object> validation = new LinkedHashMap<>();
    validation.put("expression", new Translation(check, active.params()).validation());
    validation.put("messageExpression", new Translation(check, active.params()).message());
    validation.put("message", staticMessage(check, active.params()));
    validation.put("reason", "Forbidden");
    spec.put("validations", List.of(validation));

    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put(SEVERITY_ANNOTATION, active.severity().id());
    if (check.description() != null) {
      annotations.put(Annotations.DESCRIPTION, check.description().strip());
    }
    return object(POLICY_KIND, name, labels, annotations, spec);
  }

  private static Map<String, Object> object(String kind, String name, Map<String, Object> labels,
      Map<String, Object> annotations, Map<String, Object> spec) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("labels", labels);
    if (annotations != null) {
      metadata.put("annotations", annotations);
    }
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", API_VERSION);
    object.put("kind", kind);
    object.put("metadata", metadata);
    object.put("spec", spec);
    return object;
  }

  private Map<String, Object> binding(String name, Map<String, Object> labels, String namespace,
      String action) {
    Map<String, Object> selector = new LinkedHashMap<>();
    selector.put("key", NAMESPACE_LABEL);
    selector.put("operator", namespace != null ? "In" : "NotIn");
    selector.put("values", namespace != null ? List.of(namespace)
        : List.copyOf(systemNamespaces));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("policyName", name);
    spec.put("validationActions", List.of(action));
    spec.put("matchResources", Map.of("namespaceSelector",
        Map.of("matchExpressions", List.of(selector))));
    return object(BINDING_KIND, name, labels, null, spec);
  }

  private static List<Map<String, Object>> resourceRules(List<String> kinds,
      Map<String, Resource> table) {
    Map<String, List<String>> byGroup = new LinkedHashMap<>();
    for (String kind : kinds) {
      Resource resource = table.get(kind);
      byGroup.computeIfAbsent(resource.group(), g -> new ArrayList<>()).add(resource.plural());
    }
    List<Map<String, Object>> rules = new ArrayList<>();
    byGroup.forEach((group, plurals) -> {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("apiGroups", List.of(group));
      rule.put("apiVersions", List.of("*"));
      rule.put("operations", List.of("CREATE", "UPDATE"));
      rule.put("resources", plurals);
      rules.add(rule);
    });
    return rules;
  }

  private static Map<String, Object> variable(String name, String expression) {
    Map<String, Object> variable = new LinkedHashMap<>();
    variable.put("name", name);
    variable.put("expression", expression);
    return variable;
  }

  private static Map<String, Object> condition(String name, String expression) {
    return variable(name, expression);
  }

  /** Objects the webhook does not judge, and exemptions: the policy does not apply to them. */
  private static List<Map<String, Object>> matchConditions(EffectivePolicy policy,
      CheckDefinition check, boolean workload) {
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(condition("not-controlled", "object.metadata.?ownerReferences.orValue([])"
        + ".all(r, r.?controller.orValue(false) != true)"));
    conditions.add(condition("not-deleted", "!has(object.metadata.deletionTimestamp)"));
    String objectAnnotations = "object.metadata.?annotations.orValue({})";
    String annotations = workload
        ? "[" + objectAnnotations + ", " + podTemplate("annotations") + "]"
        : "[" + objectAnnotations + "]";
    conditions.add(condition("not-exempted-by-annotation", annotations + ".all(a, !("
        + isTrue("a", Annotations.EXEMPT) + " || " + isTrue("a", Annotations.POLARIS_EXEMPT)
        + " || " + isTrue("a", Annotations.POLARIS_PREFIX + check.id()
            + Annotations.POLARIS_CHECK_EXEMPT_SUFFIX)
        + " || a[?" + literal(Annotations.EXEMPT_CHECKS) + "].orValue('').split(',')"
        + ".exists(c, c.trim() == " + literal(check.id()) + ")))"));
    List<String> exempt = new ArrayList<>();
    for (Exemption exemption : policy.exemptions()) {
      if (exemption.covers(check.id())) {
        exempt.add(exemption(exemption, workload));
      }
    }
    if (!exempt.isEmpty()) {
      conditions.add(condition("not-exempted-by-policy", "!(" + String.join(" || ", exempt)
          + ")"));
    }
    return conditions;
  }

  /** A field of the pod template's metadata (an empty map for a Pod or where absent). */
  private static String podTemplate(String field) {
    return "(object.kind == 'Pod' ? {} : object.kind == 'CronJob'"
        + " ? object.spec.?jobTemplate.?spec.?template.?metadata.?" + field + ".orValue({})"
        + " : object.spec.?template.?metadata.?" + field + ".orValue({}))";
  }

  private static String isTrue(String map, String key) {
    return map + "[?" + literal(key) + "].orValue('').trim().lowerAscii() == 'true'";
  }

  /** An exemption as a CEL condition: true for the objects it exempts. */
  private static String exemption(Exemption exemption, boolean workload) {
    List<String> parts = new ArrayList<>();
    if (!exemption.names().isEmpty()) {
      parts.add("(" + String.join(" || ", exemption.names().stream()
          .map(p -> "object.metadata.?name.orValue('').matches(" + literal("^(?:"
              + unquote(p.pattern()) + ")$") + ")").toList()) + ")");
    }
    if (exemption.selector() != null) {
      String labels = "object.metadata.?labels.orValue({})";
      parts.add(workload
          ? "(" + selector(exemption.selector(), labels) + " || "
              + selector(exemption.selector(), podTemplate("labels")) + ")"
          : selector(exemption.selector(), labels));
    }
    return parts.isEmpty() ? "true" : "(" + String.join(" && ", parts) + ")";
  }

  private static final Pattern QUOTED = Pattern.compile("\\\\Q(.*?)\\\\E");

  /** A glob's regex with Java's {@code \Q...\E} quoting replaced by escapes, for readers. */
  static String unquote(String regex) {
    Matcher m = QUOTED.matcher(regex);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(
          m.group(1).replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1")));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A label selector (or a plain map of labels) over the labels {@code labels}, in CEL. */
  @SuppressWarnings("unchecked")
  private static String selector(Map<String, Object> selector, String labels) {
    List<String> terms = new ArrayList<>();
    boolean structured = selector.containsKey("matchLabels")
        || selector.containsKey("matchExpressions");
    Map<String, Object> matchLabels = structured
        ? (Map<String, Object>) selector.getOrDefault("matchLabels", Map.of()) : selector;
    if (matchLabels != null) {
      matchLabels.forEach((key, value) -> terms.add("(" + literal(key) + " in l && l["
          + literal(key) + "] == " + literal(String.valueOf(value)) + ")"));
    }
    Object expressions = structured ? selector.get("matchExpressions") : null;
    if (expressions instanceof List<?> list) {
      for (Object item : list) {
        Map<String, Object> e = (Map<String, Object>) item;
        String key = literal(String.valueOf(e.get("key")));
        List<Object> values = e.get("values") instanceof List<?> v ? (List<Object>) v : List.of();
        String in = "(" + key + " in l && l[" + key + "] in "
            + literal(values.stream().map(String::valueOf).toList()) + ")";
        switch (String.valueOf(e.get("operator"))) {
          case "In" -> terms.add(in);
          case "NotIn" -> terms.add("!" + in);
          case "Exists" -> terms.add("(" + key + " in l)");
          case "DoesNotExist" -> terms.add("!(" + key + " in l)");
          default -> terms.add("false"); // an unknown operator matches nothing, as there
        }
      }
    }
    return "[" + labels + "].all(l, " + (terms.isEmpty() ? "true"
        : String.join(" && ", terms)) + ")";
  }

  /** The message without a messageExpression: the template, its parameters filled in. */
  private static String staticMessage(CheckDefinition check, Map<String, Object> params) {
    Matcher m = TEMPLATE_REFERENCE.matcher(check.message());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1);
      String value = ref.startsWith("params.") && params.containsKey(ref.substring(7))
          ? String.valueOf(params.get(ref.substring(7))) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return check.id() + ": " + out;
  }

  /** One check's validation and message expressions. */
  private final class Translation {
    private final CheckDefinition check;
    private final Map<String, Object> params;
    private final Set<String> identifiers;
    private final String when;
    private final String expression;
    private final String value;

    Translation(CheckDefinition check, Map<String, Object> params) {
      this.check = check;
      this.params = params;
      this.identifiers = new TreeSet<>(references(check).identifiers());
      this.when = check.when() == null ? null : CelRewrite.quantities(check.when());
      this.expression = CelRewrite.quantities(check.expression());
      this.value = check.value() == null ? null : CelRewrite.quantities(check.value());
      if (check.target() == Target.CONTAINER) {
        identifiers.add("podSpec");
      }
    }

    /** True when the subject passes (or the check does not apply to it). */
    private String passes() {
      return when == null ? "(" + expression + ")"
          : "(!(" + when + ") || (" + expression + "))";
    }

    String validation() {
      if (check.target() != Target.CONTAINER) {
        return bindAll(passes());
      }
      List<String> perList = new ArrayList<>();
      for (ContainerType type : containerTypes()) {
        perList.add("podSpec.?" + type.specField() + ".orValue([]).all(container, "
            + bindContainerType(type, passes()) + ")");
      }
      return bindAll(String.join(" && ", perList));
    }

    String message() {
      if (check.target() != Target.CONTAINER) {
        return bindAll(template(null));
      }
      List<String> perList = new ArrayList<>();
      for (ContainerType type : containerTypes()) {
        perList.add("podSpec.?" + type.specField() + ".orValue([]).filter(container, !"
            + bindContainerType(type, passes()) + ").map(container, "
            + bindContainerType(type, template(type)) + ")");
      }
      return bindAll("(" + String.join(" + ", perList) + ").join('; ')");
    }

    private List<ContainerType> containerTypes() {
      return List.of(ContainerType.values()).stream()
          .filter(t -> check.containerTypes().contains(t)).toList();
    }

    /** The message template as a CEL string expression. */
    private String template(ContainerType type) {
      Matcher m = TEMPLATE_REFERENCE.matcher(check.message());
      List<String> parts = new ArrayList<>();
      int from = 0;
      while (m.find()) {
        if (m.start() > from) {
          parts.add(literal(check.message().substring(from, m.start())));
        }
        parts.add(reference(m.group(1), m.group(), type));
        from = m.end();
      }
      if (from < check.message().length() || parts.isEmpty()) {
        parts.add(literal(check.message().substring(from)));
      }
      return String.join(" + ", parts);
    }

    private String reference(String name, String raw, ContainerType type) {
      switch (name) {
        case "kind" -> {
          identifiers.add("kind");
          return "kind";
        }
        case "name" -> {
          identifiers.add("name");
          return "name";
        }
        case "namespace" -> {
          identifiers.add("namespace");
          return "namespace";
        }
        case "value" -> {
          return value == null ? literal(raw) : "string(" + value + ")";
        }
        default -> { }
      }
      if (type != null) {
        switch (name) {
          case "container" -> {
            return "string(container.?name.orValue(''))";
          }
          case "image" -> {
            return "string(container.?image.orValue(''))";
          }
          case "containerType" -> {
            return literal(type.id());
          }
          default -> { }
        }
      }
      if (name.startsWith("params.") && params.containsKey(name.substring(7))) {
        return literal(String.valueOf(params.get(name.substring(7))));
      }
      return literal(raw);
    }

    private String bindContainerType(ContainerType type, String body) {
      return identifiers.contains("containerType")
          ? bind("containerType", literal(type.id()), body) : body;
    }

    /** {@code body} with the variables it reads bound to their values in admission. */
    private String bindAll(String body) {
      boolean workload = check.target() != Target.OBJECT;
      Map<String, String> sources = new LinkedHashMap<>();
      sources.put("podSpec", workload ? "variables.podSpec" : "{}");
      sources.put("podMetadata", workload ? "variables.podMetadata" : "{}");
      sources.put("namespace", "request.namespace");
      sources.put("name", "object.metadata.?name.orValue('')");
      sources.put("kind", "object.kind");
      sources.put("params", literal(params));
      String bound = body;
      for (Map.Entry<String, String> source : sources.entrySet()) {
        if (identifiers.contains(source.getKey())) {
          bound = bind(source.getKey(), source.getValue(), bound);
        }
      }
      return bound;
    }
  }

  /** {@code body} with {@code name} bound to {@code value}: CEL without cel.bind. */
  private static String bind(String name, String value, String body) {
    return "[" + value + "].map(" + name + ", " + body + ")[0]";
  }

  /** A Java value (string, number, boolean, list, map, null) as a CEL literal. */
  static String literal(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      StringBuilder out = new StringBuilder("'");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '\\' -> out.append("\\\\");
          case '\'' -> out.append("\\'");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> out.append(c);
        }
      }
      return out.append('\'').toString();
    }
    if (value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte) {
      return value.toString();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15
          ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
    }
    // The API server's CEL types a literal list or map by its first element: values of mixed
    // types are wrapped in dyn().
    if (value instanceof List<?> list) {
      boolean mixed = list.stream().map(v -> v == null ? null : v.getClass()).distinct()
          .count() > 1;
      return "[" + String.join(", ", list.stream()
          .map(v -> mixed ? "dyn(" + literal(v) + ")" : literal(v)).toList()) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      map.forEach((k, v) -> entries.add(literal(String.valueOf(k)) + ": dyn(" + literal(v)
          + ")"));
      return "{" + String.join(", ", entries) + "}";
    }
    return literal(value.toString());
  }

  /** {@code livenessProbeMissing} → {@code liveness-probe-missing}. */
  static String kebab(String id) {
    return id.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
  }

  /** A policy name ({@code team-a/default}, {@code bundle baseline}) as part of a DNS name. */
  static String dnsName(String text) {
    String name = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-")
        .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    return name.isEmpty() ? "policy" : name;
  }

  /** A policy name as a label value (63 characters at most, alphanumeric at both ends). */
  private static String labelValue(String text) {
    String value = text.replaceAll("[^A-Za-z0-9._-]+", "-");
    if (value.length() > 63) {
      value = value.substring(0, 63);
    }
    return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
  }
}
