package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.stochastic.devops.deploy.ManifestDirectory.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The GitOps sync's manifests in {@code deploy/sync/} are consistent: the command line names
 * volumes that exist, the probes and the Service reach the component's port, the budget and the
 * spread select the Deployment's pods. The RBAC is {@link SyncRbacIT}'s; the restricted bundle
 * {@link ShippedManifestsRestrictedTest}'s.
 */
class SyncDeploymentTest {
  private static final List<String> COMMAND = List.of("sync", "--repo", "https://github.com/your-org/policies.git",
      "--branch", "main", "--prune", "--namespace", "kube-devops", "--username", "kube-devops-sync",
      "--token-file", "/var/run/secrets/git/token", "--cache-dir", "/var/cache/kube-devops/repository",
      "--metrics-port", "9090");

  private static Deployment deployment() {
    return SyncManifests.DIRECTORY.one(Deployment.class);
  }

  private static PodSpec podSpec() {
    return deployment().getSpec().getTemplate().getSpec();
  }

  private static Container container() {
    assertThat(podSpec().getContainers()).hasSize(1);
    return podSpec().getContainers().get(0);
  }

  /** The volume mounted at the longest mount path that holds {@code file}. */
  private static Volume volumeHolding(String file) {
    VolumeMount mount = container().getVolumeMounts().stream()
        .filter(m -> Path.of(file).startsWith(m.getMountPath()))
        .max((a, b) -> a.getMountPath().length() - b.getMountPath().length()).orElseThrow();
    return podSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
  }

  @Test
  void runsTheSyncCommandLine() {
    Container container = container();
    assertThat(container.getImage()).isEqualTo("ghcr.io/stochastic-io/kube-devops:0.1.0");
    assertThat(container.getCommand()).as("the image's entrypoint is the CLI").isNullOrEmpty();
    assertThat(JvmContainers.expandedArgs(container)).containsExactlyElementsOf(COMMAND);
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("POD_NAME")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
    JvmContainers.assertHeapLeavesRoomInTheMemoryLimit(container);
  }

  @Test
  void theFilesTheSyncReadsAndWritesAreOnVolumesNotTheReadOnlyRoot() {
    assertThat(container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    List<String> args = container().getArgs();
    Volume token = volumeHolding(args.get(args.indexOf("--token-file") + 1));
    assertThat(token.getSecret().getSecretName()).isEqualTo("kube-devops-sync-git");
    assertThat(token.getSecret().getItems()).singleElement().satisfies(i -> assertThat(i.getPath()).isEqualTo("token"));
    // 0440 with fsGroup: readable by the sync's group only.
    assertThat(token.getSecret().getDefaultMode()).isEqualTo(0440);
    assertThat(podSpec().getSecurityContext().getFsGroup()).isEqualTo(container().getSecurityContext().getRunAsGroup());

    assertThat(volumeHolding(args.get(args.indexOf("--cache-dir") + 1)).getEmptyDir()).isNotNull();
    assertThat(volumeHolding("/tmp/hsperfdata").getEmptyDir()).isNotNull();
    assertThat(volumeHolding("/var/run/secrets/kubernetes.io/serviceaccount/token").getProjected()).isNotNull();
    assertThat(podSpec().getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void theProbesAndTheServiceReachTheComponentsPort() {
    Container container = container();
    List<String> args = container.getArgs();
    int port = Integer.parseInt(args.get(args.indexOf("--metrics-port") + 1));
    assertThat(container.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getContainerPort()).isEqualTo(port);
    });
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(List.of(container.getReadinessProbe(), container.getLivenessProbe()))
        .allSatisfy(p -> assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("metrics"));

    Service service = SyncManifests.DIRECTORY.one(Service.class);
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics"));
    assertThat(podLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    NetworkPolicy network = SyncManifests.DIRECTORY.one(NetworkPolicy.class);
    assertThat(network.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
        .singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(port)));
  }

  @Test
  void twoReplicasSpreadOverNodesWithADisruptionBudget() {
    Deployment deployment = deployment();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(podLabels()).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();

    PodDisruptionBudget budget = SyncManifests.DIRECTORY.one(PodDisruptionBudget.class);
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    List<TopologySpreadConstraint> spread = podSpec().getTopologySpreadConstraints();
    assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey).contains("kubernetes.io/hostname");
    assertThat(spread).allSatisfy(c -> assertThat(c.getLabelSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
    assertThat(podLabels()).containsAllEntriesOf(SyncManifests.DIRECTORY.one(NetworkPolicy.class)
        .getSpec().getPodSelector().getMatchLabels());
  }

  @Test
  void theFilesAgreeOnNamesAndNamespace() {
    assertThat(SyncManifests.DIRECTORY.all()).extracting(Manifest::object)
        .filteredOn(o -> o.getMetadata().getNamespace() != null)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(SyncManifests.NAMESPACE));
    assertThat(container().getArgs()).containsSequence("--namespace", SyncManifests.NAMESPACE);
    ServiceAccount account = SyncManifests.DIRECTORY.one(ServiceAccount.class);
    assertThat(podSpec().getServiceAccountName()).isEqualTo(account.getMetadata().getName())
        .isEqualTo(SyncManifests.SERVICE_ACCOUNT);
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
    RoleBinding roleBinding = SyncManifests.DIRECTORY.one(RoleBinding.class);
    ClusterRoleBinding clusterRoleBinding = SyncManifests.DIRECTORY.one(ClusterRoleBinding.class);
    assertThat(List.of(roleBinding.getSubjects(), clusterRoleBinding.getSubjects())).allSatisfy(subjects ->
        assertThat(subjects).singleElement().satisfies(s -> {
          assertThat(s.getKind()).isEqualTo("ServiceAccount");
          assertThat(s.getName()).isEqualTo(SyncManifests.SERVICE_ACCOUNT);
          assertThat(s.getNamespace()).isEqualTo(SyncManifests.NAMESPACE);
        }));
    assertThat(podSpec().getPriorityClassName())
        .isEqualTo(SyncManifests.DIRECTORY.one(PriorityClass.class).getMetadata().getName());
  }

  private static Map<String, String> podLabels() {
    return deployment().getSpec().getTemplate().getMetadata().getLabels();
  }
}
