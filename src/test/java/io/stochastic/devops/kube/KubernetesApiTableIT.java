package io.stochastic.devops.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.stochastic.devops.engine.KubernetesVersion;
import io.stochastic.devops.engine.check.KubernetesApiTable;
import io.stochastic.devops.engine.check.KubernetesApiTable.Row;
import io.stochastic.devops.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The table of deprecated and removed APIs (checks-data/kubernetes-apis.yaml) against the test
 * API server's discovery: every apiVersion and kind the table says is removed at or before the
 * server's version is not served, every one merely deprecated still is, and every replacement
 * is served.
 */
@IntegrationTest
class KubernetesApiTableIT {

  @Test
  void theTableAgreesWithTheApiServersDiscovery(KubernetesClient client) throws Exception {
    VersionInfo info = client.getKubernetesVersion();
    KubernetesVersion server = KubernetesVersion.ofServer(info.getMajor(), info.getMinor(),
        info.getGitVersion());
    assertThat(server).as("the version offline audits default to").isEqualTo(
        KubernetesVersion.DEFAULT);
    Map<String, Set<String>> served = servedKinds(client);
    assertThat(served).containsKeys("v1", "apps/v1", "networking.k8s.io/v1");

    List<String> disagreements = new ArrayList<>();
    for (Row row : KubernetesApiTable.rows()) {
      String at = row.apiVersion() + " " + row.kind();
      boolean removed = row.removedIn() != null && Row.minor(row.removedIn()) <= server.minor();
      boolean isServed = served.getOrDefault(row.apiVersion(), Set.of()).contains(row.kind());
      if (removed && isServed) {
        disagreements.add(at + ": removed in " + row.removedIn() + " but served by " + server);
      }
      if (!removed && Row.minor(row.deprecatedIn()) <= server.minor() && !isServed
          && !row.apiVersion().matches(".*/v[0-9]+(alpha|beta)[0-9]+")) {
        // A deprecated GA API is still served until its removal; a beta may be off by default.
        disagreements.add(at + ": deprecated, not removed, but not served by " + server);
      }
      if (row.replacement() != null) {
        String kind = row.replacementKind() != null ? row.replacementKind() : row.kind();
        if (!served.getOrDefault(row.replacement(), Set.of()).contains(kind)) {
          disagreements.add(at + ": replacement " + row.replacement() + " " + kind
              + " is not served by " + server);
        }
      }
    }
    assertThat(disagreements).as("table rows the API server contradicts").isEmpty();
  }

  /** Every group/version the server serves, with the kinds of its resources. */
  private static Map<String, Set<String>> servedKinds(KubernetesClient client) {
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      for (GroupVersionForDiscovery version : group.getVersions()) {
        groupVersions.add(version.getGroupVersion());
      }
    }
    Map<String, Set<String>> served = new TreeMap<>();
    for (String groupVersion : groupVersions) {
      APIResourceList resources = client.getApiResources(groupVersion);
      Set<String> kinds = new TreeSet<>();
      if (resources != null) {
        for (APIResource resource : resources.getResources()) {
          if (!resource.getName().contains("/")) { // not a subresource
            kinds.add(resource.getKind());
          }
        }
      }
      served.put(groupVersion, kinds);
    }
    return served;
  }
}
