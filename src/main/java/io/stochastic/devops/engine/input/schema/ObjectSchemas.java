package io.stochastic.devops.engine.input.schema;

import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ObjectValidator;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.policy.CrdResources;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates manifest objects against the schema of their kind before they are judged, so that a
 * document the API server would refuse (a string where a boolean belongs, a container list that
 * is a string, a workload without a name) is an input error rather than a score: the kinds of
 * the bundled Kubernetes version, this project's CRDs, and the CRDs a user adds. Fields a schema
 * does not declare and Kubernetes API versions it does not serve are warnings, errors when
 * strict. Objects of other kinds are not validated.
 */
public final class ObjectSchemas implements ObjectValidator {
  /** Problems shown in one error line; the rest are counted. */
  private static final int SHOWN = 3;
  private static final String CRD_KIND = "CustomResourceDefinition";
  private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";

  private final KubernetesSchema kubernetes;
  /** {@code group/version/Kind} of custom resources → schema. */
  private final Map<String, SchemaNode> customKinds;
  private final boolean strict;

  private ObjectSchemas(KubernetesSchema kubernetes, Map<String, SchemaNode> customKinds,
      boolean strict) {
    this.kubernetes = kubernetes;
    this.customKinds = customKinds;
    this.strict = strict;
  }

  /** The bundled Kubernetes schema and this project's CRDs. */
  public static ObjectSchemas kubernetes() {
    KubernetesSchema kubernetes = KubernetesSchema.bundled();
    ManifestBatch ours = new ManifestBatch();
    ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, null);
    for (CrdResources.CrdFile file : CrdResources.all()) {
      reader.readStream(CrdResources.DIRECTORY + "/" + file.fileName(),
          new ByteArrayInputStream(file.text().getBytes(StandardCharsets.UTF_8)), false, ours);
    }
    Map<String, SchemaNode> custom = new HashMap<>();
    ours.objects().forEach(crd -> addCustomResource(kubernetes, crd, custom));
    return new ObjectSchemas(kubernetes, Map.copyOf(custom), false);
  }

  /**
   * These schemas and those of the CustomResourceDefinitions among {@code objects} (other
   * objects are ignored: a directory of CRDs may hold more).
   */
  public ObjectSchemas withCustomResourceDefinitions(List<KubeObject> objects) {
    Map<String, SchemaNode> custom = new HashMap<>(customKinds);
    for (KubeObject object : objects) {
      if (isCustomResourceDefinition(object)) {
        addCustomResource(kubernetes, object, custom);
      }
    }
    return new ObjectSchemas(kubernetes, Map.copyOf(custom), strict);
  }

  public static boolean isCustomResourceDefinition(KubeObject object) {
    return CRD_KIND.equals(object.kind()) && CRD_API_VERSION.equals(object.apiVersion());
  }

  /** These schemas, failing objects on unknown fields and unserved API versions too. */
  public ObjectSchemas strict(boolean strict) {
    return new ObjectSchemas(kubernetes, customKinds, strict);
  }

  /** The Kubernetes version whose schema this is ({@code 1.36.3}). */
  public String kubernetesVersion() {
    return kubernetes.version();
  }

  @Override
  public Verdict validate(KubeObject object) {
    List<SchemaProblem> problems = problemsOf(object);
    if (problems.isEmpty()) {
      return Verdict.VALID;
    }
    List<SchemaProblem> errors = new ArrayList<>();
    List<SchemaProblem> suspect = new ArrayList<>();
    for (SchemaProblem problem : problems) {
      (strict || problem.kind() == SchemaProblem.Kind.INVALID ? errors : suspect).add(problem);
    }
    String error = errors.isEmpty() ? null : describe(object, errors);
    List<String> warnings = suspect.isEmpty() ? List.of()
        : List.of(object.source() + ": " + describe(object, suspect) + " ("
            + (suspect.stream().anyMatch(p -> p.kind() == SchemaProblem.Kind.UNKNOWN_FIELD)
                ? "kubectl apply refuses unknown fields by default; " : "")
            + "--strict fails the audit on this)");
    return new Verdict(error, warnings);
  }

  List<SchemaProblem> problemsOf(KubeObject object) {
    String apiVersion = object.apiVersion();
    String kind = object.kind();
    SchemaNode root = kubernetes.kind(apiVersion, kind);
    if (root == null) {
      root = customKinds.get(apiVersion + "/" + kind);
    }
    if (root == null) {
      if (kubernetes.ownsGroup(object.group()) && !customKinds.containsKey(apiVersion + "/" + kind)) {
        List<String> served = kubernetes.versionsOf(kind);
        return List.of(new SchemaProblem(List.of("apiVersion"),
            SchemaProblem.Kind.UNSERVED_VERSION, apiVersion + " " + kind
                + " is not served by Kubernetes " + kubernetes.version()
                + (served.isEmpty() ? "" : ": use " + String.join(" or ", served))));
      }
      return List.of();
    }
    // The API server ignores the status of an object created or applied: it is not input.
    Map<String, Object> content = object.content();
    if (content.containsKey("status")) {
      content = new java.util.LinkedHashMap<>(content);
      content.remove("status");
    }
    List<SchemaProblem> problems =
        new ArrayList<>(new SchemaValidator(kubernetes.objectMeta()).validate(root, content));
    Object metadata = object.content().get("metadata");
    if (metadata == null || metadata instanceof Map<?, ?>) {
      Map<?, ?> meta = metadata == null ? Map.of() : (Map<?, ?>) metadata;
      if (isBlank(meta.get("name")) && isBlank(meta.get("generateName"))) {
        problems.add(0, new SchemaProblem(List.of("metadata", "name"), SchemaProblem.Kind.INVALID,
            "is required: every object needs a name"));
      }
    }
    return problems;
  }

  private static boolean isBlank(Object value) {
    return !(value instanceof String text) || text.isBlank();
  }

  private static String describe(KubeObject object, List<SchemaProblem> problems) {
    List<SchemaProblem> shown = problems.subList(0, Math.min(SHOWN, problems.size()));
    int[] lines = FieldLines.linesOf(object, shown.stream().map(SchemaProblem::path).toList());
    StringBuilder text = new StringBuilder();
    String name = object.name();
    text.append(object.kind()).append(name.isEmpty() ? "" : " " + name).append(": ");
    for (int i = 0; i < shown.size(); i++) {
      SchemaProblem problem = shown.get(i);
      text.append(i == 0 ? "" : "; ");
      if (lines[i] > 0) {
        text.append("line ").append(lines[i]).append(": ");
      }
      text.append(problem.kind() == SchemaProblem.Kind.UNSERVED_VERSION ? problem.message()
          : problem.pathText() + " " + problem.message());
    }
    if (problems.size() > SHOWN) {
      int more = problems.size() - SHOWN;
      text.append("; and ").append(problems.size() >= SchemaValidator.MAX_PROBLEMS ? "at least " : "")
          .append(more).append(" more problem").append(more == 1 ? "" : "s");
    }
    return text.toString();
  }

  @SuppressWarnings("unchecked")
  private static void addCustomResource(KubernetesSchema kubernetes, KubeObject crd,
      Map<String, SchemaNode> custom) {
    Map<String, Object> spec = KubeObject.mapAt(crd.content(), "spec");
    String group = KubeObject.stringAt(spec, "group");
    String kind = KubeObject.stringAt(KubeObject.mapAt(spec, "names"), "kind");
    if (group == null || kind == null || !(spec.get("versions") instanceof List<?> versions)) {
      return;
    }
    for (Object version : versions) {
      if (!(version instanceof Map<?, ?> v) || !(v.get("name") instanceof String name)) {
        continue;
      }
      Object schema =
          KubeObject.mapAt((Map<String, Object>) v, "schema").get("openAPIV3Schema");
      SchemaNode root = schema == null ? SchemaNode.any()
          : new SchemaCompiler(Map.of(), false).compile(schema);
      if (root.properties != null) {
        // apiVersion, kind and metadata are the API server's, whatever the CRD says of them.
        Map<String, SchemaNode> fields = new HashMap<>(root.properties);
        fields.keySet().removeAll(List.of("apiVersion", "kind", "metadata"));
        root.properties = fields;
      }
      root.embeddedResource = true;
      custom.put(group + "/" + name + "/" + kind, root);
    }
  }
}
