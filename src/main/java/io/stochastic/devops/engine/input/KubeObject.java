package io.stochastic.devops.engine.input;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes object as the engine sees it, whatever it came from: a manifest document, a
 * live object listed from a cluster, or the object of an AdmissionReview. The content is the
 * object's JSON tree as maps, lists, strings, booleans, longs and doubles (what CEL reads).
 */
public final class KubeObject {
  private final Map<String, Object> content;
  private final String source;
  private final int line;
  private final String namespace;

  /**
   * @param content the object's tree; not copied, so callers must not change it afterwards
   * @param source where it came from, for messages ({@code file.yaml#2}, {@code cluster})
   * @param defaultNamespace namespace for a namespaced object that names none (null: none)
   */
  public KubeObject(Map<String, Object> content, String source, String defaultNamespace) {
    this(content, source, 0, defaultNamespace);
  }

  /** @param line the 1-based line the object starts at in its file, 0 when not from a file */
  public KubeObject(Map<String, Object> content, String source, int line,
      String defaultNamespace) {
    this.content = Objects.requireNonNull(content, "content");
    this.source = source;
    this.line = line;
    String declared = stringAt(metadata(), "namespace");
    if (ClusterScopedKinds.isClusterScoped(kind())) {
      this.namespace = null; // the API server ignores a namespace on a cluster-scoped object
    } else if (declared != null && !declared.isEmpty()) {
      this.namespace = declared;
    } else {
      this.namespace = defaultNamespace;
    }
  }

  public Map<String, Object> content() {
    return content;
  }

  public String source() {
    return source;
  }

  /** The 1-based line the object starts at in its file, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The file part of {@link #source()} ({@code examples/web.yaml} of {@code examples/web.yaml#0}). */
  public String file() {
    if (source == null) {
      return null;
    }
    int hash = source.lastIndexOf('#');
    return hash < 0 ? source : source.substring(0, hash);
  }

  public String apiVersion() {
    return stringAt(content, "apiVersion");
  }

  /** The API group: empty for the core group ({@code v1}). */
  public String group() {
    String apiVersion = apiVersion();
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public String kind() {
    return stringAt(content, "kind");
  }

  /** The object's namespace, or null for a cluster-scoped object. */
  public String namespace() {
    return namespace;
  }

  public String name() {
    String name = stringAt(metadata(), "name");
    if (name == null || name.isEmpty()) {
      String generateName = stringAt(metadata(), "generateName");
      return generateName == null ? "" : generateName;
    }
    return name;
  }

  public Map<String, Object> metadata() {
    return mapAt(content, "metadata");
  }

  public Map<String, Object> labels() {
    return mapAt(metadata(), "labels");
  }

  public Map<String, Object> annotations() {
    return mapAt(metadata(), "annotations");
  }

  /** {@code Kind/namespace/name} or {@code Kind/name}, as messages name objects. */
  public String displayName() {
    return namespace == null ? kind() + "/" + name() : kind() + "/" + namespace + "/" + name();
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> mapAt(Map<String, Object> map, String key) {
    if (map == null) {
      return Collections.emptyMap();
    }
    Object value = map.get(key);
    return value instanceof Map ? (Map<String, Object>) value : Collections.emptyMap();
  }

  public static String stringAt(Map<String, Object> map, String key) {
    if (map == null) {
      return null;
    }
    Object value = map.get(key);
    return value == null ? null : value.toString();
  }

  @Override
  public String toString() {
    return displayName() + (source == null ? "" : " (" + source + ")");
  }
}
