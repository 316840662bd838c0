package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.check.KubernetesApiTable.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The invariants of the table of deprecated and removed APIs that deprecatedApiVersion and
 * removedApiVersion read. KubernetesApiTableIT holds it to a real API server's discovery.
 */
class KubernetesApiTableTest {
  private static final String VERSION = "1\\.[0-9]{1,2}";
  private static final String API_VERSION = "([a-z0-9.-]+/)?v[0-9]+((alpha|beta)[0-9]+)?";
  private static final Set<String> FIELDS =
      Set.of("deprecatedIn", "removedIn", "replacement", "replacementKind", "instead");

  @Test
  void everyRowIsWellFormed() throws Exception {
    List<Row> rows = KubernetesApiTable.rows();
    assertThat(rows).hasSizeGreaterThan(50);
    assertThat(KubernetesApiTable.topLevelKeys()).containsExactly("apis");
    for (Row row : rows) {
      String at = row.apiVersion() + " " + row.kind();
      assertThat(row.apiVersion()).as(at).matches(API_VERSION);
      assertThat(row.kind()).as(at).matches("[A-Z][A-Za-z]+");
      assertThat(FIELDS).as("fields of %s", at).containsAll(row.fields());
      assertThat(row.deprecatedIn()).as("deprecatedIn of %s", at).isNotNull().matches(VERSION);
      if (row.removedIn() != null) {
        assertThat(row.removedIn()).as("removedIn of %s", at).matches(VERSION);
        assertThat(Row.minor(row.deprecatedIn())).as("deprecated no later than removed: %s", at)
            .isLessThanOrEqualTo(Row.minor(row.removedIn()));
      }
      assertThat(row.replacement() != null ^ row.instead() != null)
          .as("%s gives either a replacement apiVersion or what to do instead", at).isTrue();
      if (row.replacement() != null) {
        assertThat(row.replacement()).as(at).matches(API_VERSION)
            .isNotEqualTo(row.apiVersion());
      } else {
        assertThat(row.replacementKind()).as(at).isNull();
        assertThat(row.instead()).as(at).isNotBlank();
      }
    }
  }

  @Test
  void apiVersionsAndKindsAreSortedAndUnique() throws Exception {
    // Duplicate keys fail the read itself (strict duplicate detection).
    List<String> versions = KubernetesApiTable.apiVersions();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    Map<String, List<String>> kinds = KubernetesApiTable.rows().stream().collect(
        Collectors.groupingBy(Row::apiVersion, Collectors.mapping(Row::kind,
            Collectors.toList())));
    kinds.forEach((version, names) -> assertThat(names).as(version).isSorted()
        .doesNotHaveDuplicates());
  }

  @Test
  void noReplacementIsItselfDeprecated() throws Exception {
    List<Row> rows = KubernetesApiTable.rows();
    List<String> bad = new ArrayList<>();
    for (Row row : rows) {
      if (row.replacement() == null) {
        continue;
      }
      String kind = row.replacementKind() != null ? row.replacementKind() : row.kind();
      rows.stream().filter(r -> r.apiVersion().equals(row.replacement())
          && r.kind().equals(kind)).forEach(r -> bad.add(row.apiVersion() + " " + row.kind()
              + " -> " + r.apiVersion() + " " + r.kind()));
    }
    assertThat(bad).as("replacements that are deprecated themselves").isEmpty();
  }

  @Test
  void coversTheMigrationGuideFromOneSixteenOn() throws Exception {
    Set<String> rows = KubernetesApiTable.rows().stream()
        .map(r -> r.apiVersion() + " " + r.kind()).collect(Collectors.toSet());
    assertThat(rows).contains(
        "extensions/v1beta1 Deployment", "extensions/v1beta1 Ingress",
        "extensions/v1beta1 NetworkPolicy", "extensions/v1beta1 PodSecurityPolicy",
        "apps/v1beta1 StatefulSet", "apps/v1beta2 DaemonSet",
        "policy/v1beta1 PodSecurityPolicy", "policy/v1beta1 PodDisruptionBudget",
        "batch/v1beta1 CronJob", "autoscaling/v2beta1 HorizontalPodAutoscaler",
        "autoscaling/v2beta2 HorizontalPodAutoscaler", "networking.k8s.io/v1beta1 Ingress",
        "networking.k8s.io/v1beta1 IngressClass", "rbac.authorization.k8s.io/v1beta1 Role",
        "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
        "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
        "storage.k8s.io/v1beta1 CSIStorageCapacity",
        "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
        "certificates.k8s.io/v1beta1 CertificateSigningRequest",
        "coordination.k8s.io/v1beta1 Lease", "discovery.k8s.io/v1beta1 EndpointSlice",
        "events.k8s.io/v1beta1 Event", "scheduling.k8s.io/v1beta1 PriorityClass",
        "node.k8s.io/v1beta1 RuntimeClass", "authentication.k8s.io/v1beta1 TokenReview",
        "authorization.k8s.io/v1beta1 SubjectAccessReview",
        "resource.k8s.io/v1alpha2 ResourceClaim");
  }

  /** Both checks read the same table, and it reaches them whole as params.apis. */
  @Test
  void theChecksReadTheTableAsTheirParameters() throws Exception {
    int rows = KubernetesApiTable.rows().size();
    for (String id : List.of("deprecatedApiVersion", "removedApiVersion")) {
      CheckDefinition check = TestUtils.catalog().find(id).orElseThrow();
      assertThat(check.judgesAnyKind()).as(id).isTrue();
      assertThat(check.kindsRead()).as("a cluster audit lists nothing more for " + id)
          .isEmpty();
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> apis =
          (Map<String, Map<String, Object>>) check.params().get("apis");
      assertThat(apis.values().stream().mapToInt(Map::size).sum()).as(id).isEqualTo(rows);
    }
  }
}
