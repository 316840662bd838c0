package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.engine.policy.CrdResources;
import io.stochastic.devops.engine.policy.CrdResources.CrdFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the project's CRDs from the jar with server-side apply under the field manager
 * {@code kube-devops}, then waits until each is Established. Applying again changes nothing
 * (the results say {@code unchanged}); a dry run asks the server what would change and waits for
 * nothing.
 */
public final class CrdInstaller {
  public static final String FIELD_MANAGER = "kube-devops";

  private final ClusterSession cluster;
  private final ServerSideApplier applier;

  public CrdInstaller(ClusterSession cluster) {
    this(cluster, FIELD_MANAGER);
  }

  /** An installer applying as {@code fieldManager} (the sync applies the CRDs of a tree). */
  public CrdInstaller(ClusterSession cluster, String fieldManager) {
    this.cluster = cluster;
    this.applier = new ServerSideApplier(cluster, ApiResources.CUSTOM_RESOURCE_DEFINITION,
        fieldManager, ObjectYaml.asIs());
  }

  /** Applies one CRD (not waiting for it: {@link #awaitEstablished}). */
  public ApplyResult apply(GenericKubernetesResource crd, String source, boolean dryRun,
      boolean force) {
    return applier.apply(crd, null, source, dryRun, force);
  }

  /**
   * @param force take over fields another manager owns (an older kube-devops applied with
   *     kubectl, say) instead of failing with a conflict
   * @param timeout how long to wait for each CRD to be Established
   */
  public List<ApplyResult> install(boolean dryRun, boolean force, Duration timeout) {
    List<ApplyResult> results = new ArrayList<>();
    for (CrdFile file : CrdResources.all()) {
      GenericKubernetesResource crd = Serialization.unmarshal(file.text(),
          GenericKubernetesResource.class);
      results.add(apply(crd, "crds/" + file.fileName(), dryRun, force));
    }
    if (!dryRun) {
      for (ApplyResult result : results) {
        awaitEstablished(result.name(), timeout);
      }
    }
    return results;
  }

  /**
   * Waits until the CRD {@code name} is Established: until then the API server refuses objects of
   * its kind.
   */
  public void awaitEstablished(String name, Duration timeout) {
    try {
      cluster.request("waiting for CRD " + name + " to be Established", () ->
          cluster.client().apiextensions().v1().customResourceDefinitions().withName(name)
              .waitUntilCondition(CrdInstaller::established, timeout.toMillis(),
                  TimeUnit.MILLISECONDS));
    } catch (KubeAccessException e) {
      if (e.getCause() instanceof KubernetesClientTimeoutException) {
        throw new KubeAccessException("CRD " + name + " is not Established after "
            + timeout.toSeconds() + " s (see kubectl describe crd " + name + ")", e);
      }
      throw e;
    }
  }

  /** Whether the CRD's {@code Established} condition is {@code True}. */
  static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
