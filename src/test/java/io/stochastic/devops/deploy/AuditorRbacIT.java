package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The auditor's ClusterRole, bound by the ClusterRoleBinding of {@code cronjobs/auditor-rbac.yaml}
 * to its ServiceAccount, lets that account do exactly what the auditor needs, cluster-wide, and
 * nothing else. The account is impersonated (user {@code system:serviceaccount:kube-devops:
 * kube-devops-auditor} with the groups the API server gives a ServiceAccount) and asks the API
 * server with SelfSubjectAccessReviews; list calls made as that account back them up.
 *
 * <p>The role and binding are created under a name unique to the test (and deleted after it), so
 * that they do not collide with other tests on the shared server; their rules, role reference and
 * subjects are the file's. The auditor itself running as this account is tested elsewhere.
 */
@IntegrationTest
class AuditorRbacIT {
  private static final String USER = "system:serviceaccount:kube-devops:kube-devops-auditor";
  private static final String[] GROUPS = {"system:serviceaccounts", "system:serviceaccounts:kube-devops"};
  private static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
  private static final Set<String> READ = Set.of("get", "list");

  /** What the auditor may do to a resource, in every namespace; every other verb is refused. */
  private record Grant(String group, String version, String resource, boolean namespaced, Set<String> verbs) {
    ResourceDefinitionContext context() {
      return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
          .withPlural(resource).withNamespaced(namespaced).build();
    }

    @Override
    public String toString() {
      return resource + (group.isEmpty() ? "" : "." + group);
    }
  }

  private static final List<Grant> GRANTS = List.of(
      new Grant("", "v1", "pods", true, READ),
      new Grant("", "v1", "replicationcontrollers", true, READ),
      new Grant("", "v1", "configmaps", true, READ),
      new Grant("", "v1", "serviceaccounts", true, READ),
      new Grant("", "v1", "namespaces", false, READ),
      new Grant("apps", "v1", "deployments", true, READ),
      new Grant("apps", "v1", "statefulsets", true, READ),
      new Grant("apps", "v1", "daemonsets", true, READ),
      new Grant("apps", "v1", "replicasets", true, READ),
      new Grant("batch", "v1", "jobs", true, READ),
      new Grant("batch", "v1", "cronjobs", true, READ),
      new Grant("autoscaling", "v2", "horizontalpodautoscalers", true, READ),
      new Grant("policy", "v1", "poddisruptionbudgets", true, READ),
      new Grant("networking.k8s.io", "v1", "networkpolicies", true, READ),
      new Grant("networking.k8s.io", "v1", "ingresses", true, READ),
      new Grant("rbac.authorization.k8s.io", "v1", "roles", true, READ),
      new Grant("rbac.authorization.k8s.io", "v1", "rolebindings", true, READ),
      new Grant("rbac.authorization.k8s.io", "v1", "clusterroles", false, READ),
      new Grant("rbac.authorization.k8s.io", "v1", "clusterrolebindings", false, READ),
      new Grant("devops.stochastic.io", "v1", "devopspolicies", true, READ),
      new Grant("devops.stochastic.io", "v1", "policyauditresults", true, Set.of("create", "list", "delete")),
      new Grant("wgpolicyk8s.io", "v1alpha2", "policyreports", true,
          Set.of("get", "list", "create", "update", "patch", "delete")));

  private KubernetesClient admin;
  private KubernetesClient auditor;
  private String name;

  @BeforeEach
  void bindTheClusterRoleToTheAuditorsAccount(TestingNamespace namespace) {
    admin = namespace.server().client();
    name = "kube-devops-auditor-" + namespace.name();

    ClusterRole role = CronJobManifests.one(ClusterRole.class);
    ClusterRoleBinding binding = CronJobManifests.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    role.getMetadata().setName(name);
    binding.getMetadata().setName(name);
    binding.getRoleRef().setName(name);
    admin.resource(role).create();
    admin.resource(binding).create();

    auditor = namespace.clientAs(USER, GROUPS);
    // The authorizer sees new bindings through its informers: wait until this one counts.
    await().atMost(Duration.ofSeconds(10)).until(() -> allowed("list", "", "pods", ""));
  }

  @AfterEach
  void unbind() {
    if (admin != null && name != null) {
      admin.rbac().clusterRoleBindings().withName(name).delete();
      admin.rbac().clusterRoles().withName(name).delete();
    }
  }

  private boolean allowed(String verb, String group, String resource, String namespace) {
    return allowed(verb, group, resource, null, namespace);
  }

  /** Asks as the auditor; an empty namespace means every namespace (and cluster-scoped kinds). */
  private boolean allowed(String verb, String group, String resource, String subresource, String namespace) {
    SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
        .withResourceAttributes(new ResourceAttributesBuilder().withVerb(verb).withGroup(group)
            .withResource(resource).withSubresource(subresource).withNamespace(namespace).build())
        .endSpec().build();
    return auditor.authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed();
  }

  @Test
  void mayDoExactlyWhatTheAuditorNeedsInEveryNamespace() {
    List<String> wrong = new ArrayList<>();
    for (Grant grant : GRANTS) {
      for (String verb : VERBS) {
        boolean expected = grant.verbs().contains(verb);
        for (String namespace : grant.namespaced() ? List.of("", "kube-devops", "default") : List.of("")) {
          if (allowed(verb, grant.group(), grant.resource(), namespace) != expected) {
            wrong.add((expected ? "cannot " : "can ") + verb + " " + grant
                + (namespace.isEmpty() ? " cluster-wide" : " in " + namespace));
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void listsEveryKindItReadsClusterWidePageByPage() {
    for (Grant grant : GRANTS) {
      if (!grant.verbs().contains("list") || grant.group().equals("wgpolicyk8s.io")) {
        continue; // the PolicyReport CRD is not installed on the test server
      }
      var resources = auditor.genericKubernetesResources(grant.context());
      var list = grant.namespaced()
          ? resources.inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build())
          : resources.list(new ListOptionsBuilder().withLimit(1L).build());
      assertThat(list.getItems()).as(grant.toString()).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void cannotReadSecrets() {
    for (String verb : List.of("get", "list", "watch")) {
      assertThat(allowed(verb, "", "secrets", "")).as(verb + " secrets cluster-wide").isFalse();
      assertThat(allowed(verb, "", "secrets", "kube-devops")).as(verb + " secrets in kube-devops").isFalse();
    }
    assertThatThrownBy(() -> auditor.secrets().inAnyNamespace().list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void cannotChangeWorkloads() {
    List<String[]> workloads = List.of(new String[] {"", "pods"}, new String[] {"", "replicationcontrollers"},
        new String[] {"apps", "deployments"}, new String[] {"apps", "statefulsets"},
        new String[] {"apps", "daemonsets"}, new String[] {"apps", "replicasets"},
        new String[] {"batch", "jobs"}, new String[] {"batch", "cronjobs"});
    for (String[] workload : workloads) {
      for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
        assertThat(allowed(verb, workload[0], workload[1], "")).as(verb + " " + workload[1]).isFalse();
      }
    }
    assertThat(allowed("patch", "apps", "deployments", "scale", "")).as("scale deployments").isFalse();
    assertThat(allowed("create", "", "pods", "exec", "")).as("exec into pods").isFalse();
    assertThat(allowed("create", "", "pods", "eviction", "")).as("evict pods").isFalse();
    assertThat(allowed("get", "", "pods", "log", "")).as("read pod logs").isFalse();
  }

  @Test
  void cannotChangePolicies() {
    for (String verb : List.of("create", "update", "patch", "delete")) {
      assertThat(allowed(verb, "devops.stochastic.io", "devopspolicies", "")).as(verb + " devopspolicies").isFalse();
    }
    assertThat(allowed("update", "devops.stochastic.io", "devopspolicies", "status", "")).as("policy status").isFalse();
  }

  @Test
  void cannotDeleteNamespacesNorGrantItselfMore() {
    assertThat(allowed("delete", "", "namespaces", "")).as("delete namespaces").isFalse();
    assertThat(allowed("create", "", "namespaces", "")).as("create namespaces").isFalse();
    assertThat(allowed("escalate", "rbac.authorization.k8s.io", "clusterroles", "")).as("escalate").isFalse();
    assertThat(allowed("bind", "rbac.authorization.k8s.io", "clusterroles", "")).as("bind").isFalse();
    assertThat(allowed("impersonate", "", "users", "")).as("impersonate users").isFalse();
    assertThat(allowed("impersonate", "", "serviceaccounts", "")).as("impersonate service accounts").isFalse();
    assertThat(allowed("create", "", "serviceaccounts", "token", "")).as("mint tokens").isFalse();
  }
}
