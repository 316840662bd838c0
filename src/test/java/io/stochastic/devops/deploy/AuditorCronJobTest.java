package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.stochastic.devops.deploy.ManifestDirectory.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch auditor's manifests in {@code cronjobs/} are consistent ({@link ShippedManifestsRestrictedTest}
 * judges them by our own restricted bundle).
 */
class AuditorCronJobTest {
  /** The command line the CronJob must run (the image's entrypoint is the CLI). */
  private static final List<String> COMMAND = List.of("auditor", "run", "-A", "--cluster-name", "my-cluster",
      "--write-results", "--history-limit", "10", "--push-gateway",
      "http://prometheus-pushgateway.monitoring.svc:9091", "--policy-reports");

  @Test
  void runsTheAuditorCommandLine() {
    Container container = container();
    assertThat(container.getImage()).isEqualTo("ghcr.io/stochastic-io/kube-devops:0.1.0");
    assertThat(container.getCommand()).as("the image's entrypoint is the CLI").isNullOrEmpty();

    assertThat(JvmContainers.expandedArgs(container)).containsExactlyElementsOf(COMMAND);
  }

  @Test
  void runsOneAtATimeAsANonRootUserThatCannotEscalate() {
    CronJob cronJob = CronJobManifests.one(CronJob.class);
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isPositive();
    assertThat(cronJob.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).isPositive();
    assertThat(cronJob.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isNotNull();

    PodSpec pod = podSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(container().getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container().getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
  }

  @Test
  void theHeapLeavesRoomInTheMemoryLimit() {
    JvmContainers.assertHeapLeavesRoomInTheMemoryLimit(container());
  }

  @Test
  void talksToTheApiServerWithAProjectedTokenThatOutlivesARun() {
    PodSpec pod = podSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(CronJobManifests.one(ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();

    String volumeName = container().getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals("/var/run/secrets/kubernetes.io/serviceaccount"))
        .map(m -> m.getName()).findFirst().orElseThrow();
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(volumeName)).findFirst().orElseThrow();
    List<VolumeProjection> sources = volume.getProjected().getSources();
    // The three files the automounted volume holds, where the Kubernetes client looks for them.
    assertThat(sources).filteredOn(s -> s.getServiceAccountToken() != null)
        .singleElement().satisfies(s -> assertThat(s.getServiceAccountToken().getPath()).isEqualTo("token"));
    assertThat(sources).filteredOn(s -> s.getConfigMap() != null).singleElement().satisfies(s -> {
      assertThat(s.getConfigMap().getName()).isEqualTo("kube-root-ca.crt");
      assertThat(s.getConfigMap().getItems()).singleElement().satisfies(i -> assertThat(i.getPath()).isEqualTo("ca.crt"));
    });
    assertThat(sources).filteredOn(s -> s.getDownwardAPI() != null).singleElement().satisfies(s ->
        assertThat(s.getDownwardAPI().getItems()).singleElement().satisfies(i -> {
          assertThat(i.getPath()).isEqualTo("namespace");
          assertThat(i.getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        }));

    long expiration = sources.stream().filter(s -> s.getServiceAccountToken() != null).findFirst().orElseThrow()
        .getServiceAccountToken().getExpirationSeconds();
    long deadline = CronJobManifests.one(CronJob.class).getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds();
    assertThat(expiration).as("token lifetime vs. the Job's deadline").isGreaterThan(deadline);
  }

  @Test
  void theFilesAgreeOnNamesNamespaceAndLabels() {
    CronJob cronJob = CronJobManifests.one(CronJob.class);
    ServiceAccount account = CronJobManifests.one(ServiceAccount.class);
    ClusterRoleBinding binding = CronJobManifests.one(ClusterRoleBinding.class);
    PodSpec pod = podSpec();

    assertThat(CronJobManifests.all()).extracting(Manifest::object)
        .filteredOn(o -> o.getMetadata().getNamespace() != null)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(CronJobManifests.NAMESPACE));
    assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName())
        .isEqualTo(CronJobManifests.SERVICE_ACCOUNT);
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo(CronJobManifests.SERVICE_ACCOUNT);
      assertThat(subject.getNamespace()).isEqualTo(CronJobManifests.NAMESPACE);
    });
    assertThat(binding.getRoleRef().getName()).isEqualTo(CronJobManifests.one(ClusterRole.class).getMetadata().getName());
    assertThat(pod.getPriorityClassName()).isEqualTo(CronJobManifests.one(PriorityClass.class).getMetadata().getName());

    Map<String, String> podLabels = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels();
    LabelSelector selector = CronJobManifests.one(NetworkPolicy.class).getSpec().getPodSelector();
    assertThat(selector.getMatchExpressions()).isNullOrEmpty();
    assertThat(podLabels).as("the NetworkPolicy selects the auditor's pods").containsAllEntriesOf(selector.getMatchLabels());
    assertThat(CronJobManifests.all()).allSatisfy(manifest -> assertThat(manifest.object().getMetadata().getLabels())
        .as(manifest.toString())
        .containsEntry("app.kubernetes.io/name", "kube-devops")
        .containsEntry("app.kubernetes.io/component", "auditor")
        .containsEntry("app.kubernetes.io/part-of", "kube-devops"));
  }

  private static PodSpec podSpec() {
    return CronJobManifests.one(CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
  }

  private static Container container() {
    assertThat(podSpec().getContainers()).hasSize(1);
    return podSpec().getContainers().get(0);
  }
}
