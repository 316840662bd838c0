package io.stochastic.devops.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.ObjectSource;
import io.stochastic.devops.engine.input.ObjectTrees;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The objects of a cluster, of one namespace or of all, read with paginated lists ({@code
 * limit}/{@code continue}) of the resources a policy needs ({@link #resourcesFor}). Each item is
 * normalised by {@link ObjectTrees}, as an informer's or an AdmissionReview's object is, so it is
 * judged as the same object read from a file would be. With one namespace, cluster-scoped
 * objects (ClusterRoles) are read for the checks that look them up, but not judged.
 */
public final class ClusterObjectSource implements ObjectSource {
  /** Items per list request: the API server's own default for kubectl is 500. */
  public static final long PAGE_SIZE = 500;

  private final ClusterSession cluster;
  private final String clusterName;
  private final String namespace;
  private final Set<ClusterResource> resources;
  private final long pageSize;
  private final Consumer<String> progress;
  private final Map<String, Integer> counts = new java.util.TreeMap<>();

  /**
   * @param clusterName names the cluster in sources and messages
   * @param namespace the namespace to read, or null for every namespace
   * @param resources what to list; cluster-scoped ones are read whatever the namespace
   * @param progress told before each resource is listed (for a progress line); may ignore it
   */
  public ClusterObjectSource(ClusterSession cluster, String clusterName, String namespace,
      Set<ClusterResource> resources, long pageSize, Consumer<String> progress) {
    this.cluster = cluster;
    this.clusterName = clusterName;
    this.namespace = namespace;
    this.resources = resources.isEmpty() ? EnumSet.noneOf(ClusterResource.class)
        : EnumSet.copyOf(resources);
    this.pageSize = pageSize;
    this.progress = progress;
  }

  /**
   * What an evaluation of {@code checks} reads: every workload kind and pods, and the kinds the
   * checks judge or look up ({@link CheckDefinition#kindsRead()}). A cluster audit lists these;
   * the operator watches the namespaced ones ({@link #namespacedResourcesRead}); the RBAC of
   * each component is derived from them ({@code deploy}).
   */
  public static Set<ClusterResource> resourcesRead(Collection<CheckDefinition> checks) {
    Set<String> kinds = new TreeSet<>();
    checks.forEach(check -> kinds.addAll(check.kindsRead()));
    return resourcesFor(kinds);
  }

  /**
   * The namespaced part of {@link #resourcesRead}: what informers feeding the evaluation of one
   * namespace at a time (the operator) watch. Cluster-scoped kinds (ClusterRoles) are left out:
   * a namespace's checks that look them up see none.
   */
  public static Set<ClusterResource> namespacedResourcesRead(Collection<CheckDefinition> checks) {
    Set<ClusterResource> namespaced = EnumSet.noneOf(ClusterResource.class);
    resourcesRead(checks).stream().filter(ClusterResource::namespaced).forEach(namespaced::add);
    return namespaced;
  }

  /** The resources to list for policies that read {@code kinds} besides the workloads. */
  public static Set<ClusterResource> resourcesFor(Collection<String> kinds) {
    Set<ClusterResource> needed = EnumSet.noneOf(ClusterResource.class);
    for (ClusterResource resource : ClusterResource.values()) {
      if (resource.workload() || kinds.contains(resource.kind())) {
        needed.add(resource);
      }
    }
    return needed;
  }

  @Override
  public ObjectSet read() {
    List<KubeObject> judged = new ArrayList<>();
    List<KubeObject> contextOnly = new ArrayList<>();
    for (ClusterResource resource : resources) {
      progress.accept(resource.displayType());
      boolean judge = resource.namespaced() || namespace == null;
      List<KubeObject> into = judge ? judged : contextOnly;
      int before = into.size();
      list(resource, into);
      counts.put(resource.displayType(), into.size() - before);
    }
    return new ObjectSet(judged, contextOnly);
  }

  /** How many objects of each resource the last {@link #read()} listed. */
  public Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  private void list(ClusterResource resource, List<KubeObject> into) {
    var operation = cluster.client().genericKubernetesResources(resource.context());
    boolean allNamespaces = namespace == null || !resource.namespaced();
    String what = "listing " + resource.displayType()
        + (!resource.namespaced() ? "" : allNamespaces ? " in all namespaces"
            : " in namespace " + namespace);
    String source = "cluster " + clusterName;
    ListPages.<GenericKubernetesResource>forEach(pageSize,
        options -> cluster.request(what, () -> allNamespaces
            ? operation.inAnyNamespace().list(options)
            : operation.inNamespace(namespace).list(options)),
        item -> {
          // Lists leave kind and apiVersion off their items.
          item.setKind(resource.kind());
          item.setApiVersion(resource.apiVersion());
          JsonNode tree = Serialization.jsonMapper().valueToTree(item);
          into.add(ObjectTrees.kubeObject(tree, source));
        });
  }

  @Override
  public String describe() {
    return "cluster " + clusterName + (namespace == null ? "" : ", namespace " + namespace);
  }
}
