package io.stochastic.devops.engine.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects judged together: the documents of an offline audit, one namespace listed from a
 * cluster, or an admission request's object. Checks that look across objects (a PDB for a
 * Deployment, the ClusterRole of a binding) find their related objects here.
 */
public final class ObjectSet implements RelatedObjects {
  private final List<KubeObject> objects;
  private final List<KubeObject> contextOnly;
  /** namespace (or "" for cluster-scoped) -> kind -> object contents. */
  private final Map<String, Map<String, List<Map<String, Object>>>> index = new HashMap<>();

  public ObjectSet(List<KubeObject> objects) {
    this(objects, List.of());
  }

  /**
   * @param objects the objects to judge
   * @param contextOnly objects only read by cross-object checks, never judged (the ClusterRoles
   *     a namespace's RoleBindings name, when one namespace of a cluster is audited)
   */
  public ObjectSet(List<KubeObject> objects, List<KubeObject> contextOnly) {
    this.objects = List.copyOf(objects);
    this.contextOnly = List.copyOf(contextOnly);
    index(this.objects);
    index(this.contextOnly);
  }

  /** The objects only read by cross-object checks. */
  public List<KubeObject> contextOnly() {
    return contextOnly;
  }

  private void index(List<KubeObject> objects) {
    for (KubeObject object : objects) {
      String kind = object.kind();
      if (kind == null) {
        continue;
      }
      String namespace = object.namespace() == null ? "" : object.namespace();
      index.computeIfAbsent(namespace, n -> new HashMap<>())
          .computeIfAbsent(kind, k -> new ArrayList<>())
          .add(object.content());
    }
  }

  public static ObjectSet of(KubeObject... objects) {
    return new ObjectSet(List.of(objects));
  }

  public List<KubeObject> objects() {
    return objects;
  }

  public int size() {
    return objects.size();
  }

  public boolean isEmpty() {
    return objects.isEmpty();
  }

  @Override
  public List<Map<String, Object>> related(String namespace, String kind) {
    List<Map<String, Object>> local = namespace == null
        ? Collections.emptyList()
        : index.getOrDefault(namespace, Map.of()).getOrDefault(kind, Collections.emptyList());
    List<Map<String, Object>> cluster =
        index.getOrDefault("", Map.of()).getOrDefault(kind, Collections.emptyList());
    if (cluster.isEmpty()) {
      return local;
    }
    if (local.isEmpty()) {
      return cluster;
    }
    List<Map<String, Object>> both = new ArrayList<>(local.size() + cluster.size());
    both.addAll(local);
    both.addAll(cluster);
    return both;
  }
}
