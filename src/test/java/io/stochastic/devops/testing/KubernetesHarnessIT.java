package io.stochastic.devops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself, and the API server behaviour later components rely on. */
@IntegrationTest
class KubernetesHarnessIT {
  private static final Set<String> NAMESPACES_SEEN = ConcurrentHashMap.newKeySet();

  @Test
  void eachTestGetsAFreshNamespaceAndAClientDefaultingToIt(KubernetesClient client, TestingNamespace namespace) {
    assertThat(NAMESPACES_SEEN.add(namespace.name())).as("namespace of an earlier test").isTrue();
    assertThat(namespace.name()).startsWith("kubernetesharnessit-eachtestgets");
    assertThat(client.getNamespace()).isEqualTo(namespace.name());
    assertThat(client.namespaces().withName(namespace.name()).get().getStatus().getPhase()).isEqualTo("Active");

    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("lands-here").endMetadata().build()).create();

    assertThat(client.configMaps().inNamespace(namespace.name()).withName("lands-here").get()).isNotNull();
  }

  @Test
  void anotherTestGetsAnotherNamespace(TestingNamespace namespace) {
    assertThat(NAMESPACES_SEEN.add(namespace.name())).as("namespace of an earlier test").isTrue();
  }

  @AfterAll
  static void namespacesAreDeletedAfterTheirTest(TestingApiServer server) {
    assertThat(NAMESPACES_SEEN).hasSizeGreaterThanOrEqualTo(2);
    for (String name : NAMESPACES_SEEN) {
      // Deleted when its test ended: Terminating, or already removed by the namespace controller
      // (which waits 5 s first; ControllerManagerIT waits for that).
      Namespace namespace = server.client().namespaces().withName(name).get();
      assertThat(namespace == null || namespace.getMetadata().getDeletionTimestamp() != null)
          .as("%s deleted", name)
          .isTrue();
    }
  }

  @Test
  void clientsUseTheJdkHttpClient(KubernetesClient client, TestingApiServer server) {
    assertThat(client.getHttpClient().getClass().getName()).startsWith("io.fabric8.kubernetes.client.jdkhttp.");
    assertThat(server.client().getHttpClient().getClass().getName()).startsWith("io.fabric8.kubernetes.client.jdkhttp.");
    assertThat(client.getMasterUrl().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void kubeconfigFilePointsAtTheNamespace(TestingNamespace namespace) throws Exception {
    Path file = namespace.kubeconfig();
    Config config = Config.fromKubeconfig(null, Files.readString(file), file.toString());

    assertThat(config.getCurrentContext().getName()).isEqualTo(TestingKubeconfig.DEFAULT_CONTEXT);
    try (KubernetesClient fromFile = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThat(fromFile.getNamespace()).isEqualTo(namespace.name());
      assertThat(fromFile.namespaces().withName(namespace.name()).get()).isNotNull();
    }
  }

  @Test
  void aSecondClusterIsAnIndependentApiServerWithTheCrds(
      TestingNamespace primary, @Cluster("second") TestingNamespace second, @TempDir Path dir) throws Exception {
    assertThat(second.server()).isNotSameAs(primary.server());
    assertThat(second.server().config().getMasterUrl()).isNotEqualTo(primary.server().config().getMasterUrl());
    assertThat(second.server().crds()).hasSameSizeAs(primary.server().crds());
    primary.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("only-in-primary").endMetadata().build()).create();

    Path kubeconfig =
        TestingKubeconfig.write(dir.resolve("config"), "prod", Map.of("prod", primary, "staging", second));

    String yaml = Files.readString(kubeconfig);
    try (KubernetesClient prod = clientFor(yaml, kubeconfig, "prod");
        KubernetesClient staging = clientFor(yaml, kubeconfig, "staging")) {
      assertThat(prod.getNamespace()).isEqualTo(primary.name());
      assertThat(staging.getNamespace()).isEqualTo(second.name());
      assertThat(prod.configMaps().withName("only-in-primary").get()).isNotNull();
      assertThat(staging.namespaces().withName(primary.name()).get()).isNull();
    }
  }

  private static KubernetesClient clientFor(String yaml, Path file, String context) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(context, yaml, file.toString())).build();
  }

  @Test
  void rbacDecidesWhatAnImpersonatedUserMayDo(TestingNamespace namespace) {
    KubernetesClient alice = namespace.clientAs("alice", "kube-devops-readers");
    assertThatThrownBy(() -> alice.configMaps().list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

    namespace.client().rbac().roles().resource(new RoleBuilder()
        .withNewMetadata().withName("read-config").endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list").endRule()
        .build()).create();
    namespace.client().rbac().roleBindings().resource(new RoleBindingBuilder()
        .withNewMetadata().withName("readers-read-config").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-config").endRoleRef()
        .addNewSubject().withKind("Group").withName("kube-devops-readers").endSubject()
        .build()).create();

    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> alice.configMaps().list() != null);
    assertThatThrownBy(() -> alice.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build()).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void podsAreCreatedDirectlyAndTheirStatusWrittenByTheTest(KubernetesClient client) {
    // No scheduler, no kubelet: runtime checks get their pod status from the test. A Pod without
    // owner references is left alone by the garbage collector.
    Pod pod = client.pods().resource(new PodBuilder()
        .withNewMetadata().withName("crashing").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
        .build()).create();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");

    pod.setStatus(new PodStatusBuilder()
        .withPhase("Running")
        .withStartTime("2026-11-22T10:00:00Z")
        .addNewContainerStatus().withName("app").withImage("nginx:1.27").withImageID("")
        .withReady(false).withRestartCount(7).endContainerStatus()
        .build());
    client.pods().resource(pod).updateStatus();

    Pod stored = client.pods().withName("crashing").get();
    assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
    assertThat(stored.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(7);
  }

  @Test
  void aLeaseIsCreatedAndRenewedWithOptimisticConcurrency(KubernetesClient client) {
    ZonedDateTime acquired = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS);
    Lease lease = client.leases().resource(new LeaseBuilder()
        .withNewMetadata().withName("kube-devops-operator").endMetadata()
        .withNewSpec()
        .withHolderIdentity("replica-a")
        .withLeaseDurationSeconds(15)
        .withAcquireTime(acquired)
        .withRenewTime(acquired)
        .withLeaseTransitions(0)
        .endSpec()
        .build()).create();

    Lease renewed = client.leases().resource(new LeaseBuilder(lease)
        .editSpec().withRenewTime(acquired.plusSeconds(10)).endSpec()
        .build()).update();

    assertThat(renewed.getSpec().getRenewTime().toInstant()).isEqualTo(acquired.plusSeconds(10).toInstant());
    assertThat(renewed.getSpec().getHolderIdentity()).isEqualTo("replica-a");
    assertThat(renewed.getMetadata().getResourceVersion()).isNotEqualTo(lease.getMetadata().getResourceVersion());
    // A candidate that read the lease before the renewal must not take it over.
    Lease staleTakeover = new LeaseBuilder(lease).editSpec().withHolderIdentity("replica-b").withLeaseTransitions(1).endSpec().build();
    assertThatThrownBy(() -> client.leases().resource(staleTakeover).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.leases().withName("kube-devops-operator").get().getSpec().getHolderIdentity()).isEqualTo("replica-a");
  }
}
