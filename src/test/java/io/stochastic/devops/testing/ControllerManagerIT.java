package io.stochastic.devops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The controller manager the harness runs beside each API server: workload controllers create
 * what they own (Pods stay Pending, there is no scheduler), the garbage collector follows owner
 * references (and deletes what names an owner that does not exist), and deleted namespaces go
 * away.
 */
@IntegrationTest
class ControllerManagerIT {
  /** Generous: the controllers are quick, but the machine may be busy with other builds. */
  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
  }

  @Test
  void aDeploymentCreatesAReplicaSetAndPendingPodsItOwns(KubernetesClient client) {
    Deployment deployment = client.apps().deployments().resource(deployment("web", 2)).create();

    List<Pod> pods = eventually().until(() -> client.pods().withLabel("app", "web").list().getItems(), p -> p.size() == 2);

    List<ReplicaSet> replicaSets = client.apps().replicaSets().withLabel("app", "web").list().getItems();
    assertThat(replicaSets).hasSize(1);
    ReplicaSet replicaSet = replicaSets.get(0);
    assertThat(controllerOf(replicaSet).getUid()).isEqualTo(deployment.getMetadata().getUid());
    assertThat(controllerOf(replicaSet).getKind()).isEqualTo("Deployment");
    assertThat(replicaSet.getSpec().getReplicas()).isEqualTo(2);
    for (Pod pod : pods) {
      assertThat(controllerOf(pod).getKind()).isEqualTo("ReplicaSet");
      assertThat(controllerOf(pod).getUid()).isEqualTo(replicaSet.getMetadata().getUid());
      // No scheduler and no kubelet: created, never placed.
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(pod.getSpec().getNodeName()).isNull();
    }
    eventually().until(
        () -> client.apps().deployments().withName("web").get().getStatus(),
        s -> s != null && Integer.valueOf(2).equals(s.getReplicas()) && s.getAvailableReplicas() == null);
  }

  @Test
  void deletingADeploymentCollectsItsReplicaSetAndPods(KubernetesClient client) {
    client.apps().deployments().resource(deployment("collected", 2)).create();
    eventually().until(() -> client.pods().withLabel("app", "collected").list().getItems().size() == 2);

    client.apps().deployments().withName("collected").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();

    eventually().until(() -> client.apps().deployments().withName("collected").get() == null
        && client.apps().replicaSets().withLabel("app", "collected").list().getItems().isEmpty()
        && client.pods().withLabel("app", "collected").list().getItems().isEmpty());
  }

  @Test
  void foregroundDeletionRemovesTheOwnerAfterItsDependents(KubernetesClient client) {
    client.apps().deployments().resource(deployment("foreground", 1)).create();
    eventually().until(() -> client.pods().withLabel("app", "foreground").list().getItems().size() == 1);

    client.apps().deployments().withName("foreground").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    eventually().until(() -> client.apps().deployments().withName("foreground").get() == null);
    assertThat(client.apps().replicaSets().withLabel("app", "foreground").list().getItems()).isEmpty();
    assertThat(client.pods().withLabel("app", "foreground").list().getItems()).isEmpty();
  }

  @Test
  void aPodWhoseOwnerDoesNotExistIsCollected(KubernetesClient client) {
    // Tests that want a Pod "owned by a ReplicaSet" must create the ReplicaSet too.
    client.pods().resource(new PodBuilder()
        .withNewMetadata().withName("orphan")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("gone")
        .withUid("00000000-0000-0000-0000-000000000001").withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
        .build()).create();

    eventually().until(() -> client.pods().withName("orphan").get() == null);
  }

  @Test
  void aJobCreatesAPendingPod(KubernetesClient client) {
    Job job = client.batch().v1().jobs().resource(new JobBuilder()
        .withNewMetadata().withName("once").endMetadata()
        .withNewSpec().withTemplate(podTemplate("once", "Never")).endSpec()
        .build()).create();

    Pod pod = eventually().until(() -> client.pods().withLabel("app", "once").list().getItems(), p -> p.size() == 1).get(0);

    assertThat(controllerOf(pod).getKind()).isEqualTo("Job");
    assertThat(controllerOf(pod).getUid()).isEqualTo(job.getMetadata().getUid());
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  void aCronJobCreatesAJobForAMissedSchedule(KubernetesClient client) {
    // Created suspended, then told it last ran two minutes ago: when resumed, the controller
    // starts the run it missed at once instead of at the next minute.
    CronJob cronJob = client.batch().v1().cronjobs().resource(new CronJobBuilder()
        .withNewMetadata().withName("every-minute").endMetadata()
        .withNewSpec()
        .withSchedule("* * * * *")
        .withSuspend(true)
        .withNewJobTemplate().withNewSpec().withTemplate(podTemplate("every-minute", "Never")).endSpec().endJobTemplate()
        .endSpec()
        .build()).create();
    client.batch().v1().cronjobs().withName("every-minute").editStatus(c -> new CronJobBuilder(c)
        .editOrNewStatus()
        .withLastScheduleTime(DateTimeFormatter.ISO_INSTANT.format(Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES)))
        .endStatus()
        .build());
    client.batch().v1().cronjobs().withName("every-minute").edit(c -> new CronJobBuilder(c).editSpec().withSuspend(false).endSpec().build());

    Job job = eventually().until(() -> client.batch().v1().jobs().list().getItems(), j -> !j.isEmpty()).get(0);
    assertThat(controllerOf(job).getKind()).isEqualTo("CronJob");
    assertThat(controllerOf(job).getUid()).isEqualTo(cronJob.getMetadata().getUid());
    Pod pod = eventually().until(() -> client.pods().withLabel("app", "every-minute").list().getItems(), p -> !p.isEmpty()).get(0);
    assertThat(controllerOf(pod).getUid()).isEqualTo(job.getMetadata().getUid());
  }

  @Test
  void aDeletedNamespaceDisappearsWithItsContents(TestingApiServer server) throws Exception {
    String name;
    try (TestingNamespace namespace = server.createNamespace("controllermanagerit-deleted")) {
      name = namespace.name();
      namespace.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("content").endMetadata().build()).create();
      namespace.client().apps().deployments().resource(deployment("content", 1)).create();
    } // deletes the namespace, without waiting

    eventually().until(() -> server.client().namespaces().withName(name).get() == null);
    assertThat(server.client().configMaps().inNamespace(name).list().getItems()).isEmpty();
  }

  @Test
  void theControllerManagerLogsToAFileNamedAfterTheCluster(TestingApiServer server) throws Exception {
    assertThat(server.controllerManagerLog().getFileName().toString()).isEqualTo("kube-controller-manager-primary.log");
    assertThat(Files.readString(server.controllerManagerLog())).contains("Serving securely on 127.0.0.1:");
  }

  private static Deployment deployment(String app, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(app).withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().withMatchLabels(Map.of("app", app)).endSelector()
        .withTemplate(podTemplate(app, "Always"))
        .endSpec()
        .build();
  }

  private static PodTemplateSpec podTemplate(String app, String restartPolicy) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec()
        .withRestartPolicy(restartPolicy)
        .addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
        .endSpec()
        .build();
  }

  private static OwnerReference controllerOf(HasMetadata object) {
    return object.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(object.getKind() + " " + object.getMetadata().getName() + " has no controller owner"));
  }
}
