package io.stochastic.devops.engine.input.schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The schemas of the kinds a Kubernetes API server serves, as the jar carries them: the OpenAPI
 * v3 of the version the tests run, reduced to what validation reads ({@code KubernetesSchemaIT}
 * regenerates it from that server). Loaded and compiled once, then only read.
 */
final class KubernetesSchema {
  static final String RESOURCE = "schemas/kubernetes.json";
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

  private static volatile KubernetesSchema bundled;

  private final String version;
  /** {@code apps/v1/Deployment} → its schema. */
  private final Map<String, SchemaNode> kinds;
  /** {@code Deployment} → the apiVersions serving it. */
  private final Map<String, List<String>> versionsByKind = new HashMap<>();
  private final Set<String> groups = new TreeSet<>();
  private final SchemaNode objectMeta;

  @SuppressWarnings("unchecked")
  private KubernetesSchema(Map<String, Object> document) {
    this.version = String.valueOf(document.get("kubernetesVersion"));
    Map<String, Object> definitions = (Map<String, Object>) document.get("definitions");
    SchemaCompiler compiler = new SchemaCompiler(definitions, true);
    Map<String, SchemaNode> byKind = new HashMap<>();
    ((Map<String, Object>) document.get("kinds")).forEach((gvk, definition) -> {
      byKind.put(gvk, compiler.definition(definition.toString()));
      int slash = gvk.lastIndexOf('/');
      String apiVersion = gvk.substring(0, slash);
      versionsByKind.computeIfAbsent(gvk.substring(slash + 1), k -> new ArrayList<>())
          .add(apiVersion);
      groups.add(apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/'))
          : "");
    });
    this.kinds = Map.copyOf(byKind);
    this.objectMeta = compiler.definition(OBJECT_META);
  }

  static KubernetesSchema bundled() {
    KubernetesSchema schema = bundled;
    if (schema == null) {
      synchronized (KubernetesSchema.class) {
        if (bundled == null) {
          bundled = load();
        }
        schema = bundled;
      }
    }
    return schema;
  }

  private static KubernetesSchema load() {
    try (InputStream in = KubernetesSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new EngineException(RESOURCE + " is missing from the classpath");
      }
      ObjectMapper json = new ObjectMapper()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS);
      return new KubernetesSchema(json.readValue(in, new TypeReference<Map<String, Object>>() {}));
    } catch (IOException e) {
      throw new EngineException(RESOURCE + ": cannot read the Kubernetes schema: "
          + e.getMessage(), e);
    }
  }

  /** The Kubernetes version the schema is of ({@code 1.36.3}). */
  String version() {
    return version;
  }

  /** The schema of the kind, or null when this Kubernetes version does not serve it. */
  SchemaNode kind(String apiVersion, String kind) {
    return kinds.get(apiVersion + "/" + kind);
  }

  /** The apiVersions this Kubernetes version serves the kind under; empty when none. */
  List<String> versionsOf(String kind) {
    return versionsByKind.getOrDefault(kind, List.of());
  }

  /** Whether Kubernetes itself owns the group (a group served, or one with no dot in it). */
  boolean ownsGroup(String group) {
    return groups.contains(group) || !group.contains(".") || group.endsWith(".k8s.io")
        || group.endsWith(".kubernetes.io");
  }

  SchemaNode objectMeta() {
    return objectMeta;
  }
}
