package io.stochastic.devops.deploy;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.TestUtils.CliRun;
import io.stochastic.devops.deploy.RbacModel.ComponentRbac;
import io.stochastic.devops.deploy.RbacRule.Scope;
import io.stochastic.devops.gitops.SyncStateStore;
import io.stochastic.devops.kube.ClusterResource;
import io.stochastic.devops.operator.DevOpsPolicyReconciler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RBAC model follows the code it describes, and grants nothing dangerous. */
class RbacModelTest {
  private final RbacModel model = new RbacModel(TestUtils.catalog().definitions());

  /** {@code pods}, {@code deployments.apps} for every rule of the component with these verbs. */
  private static List<String> resourcesWith(ComponentRbac rbac, List<String> verbs) {
    List<String> found = new ArrayList<>();
    rbac.rules().stream().filter(r -> r.verbs().equals(verbs))
        .forEach(r -> found.addAll(r.qualifiedResources()));
    return found;
  }

  @Test
  void theOperatorMayListAndWatchExactlyWhatItsInformersWatch() {
    List<String> watched = new ArrayList<>(DevOpsPolicyReconciler.resourcesFor(
        TestUtils.catalog().definitions()).stream().map(ClusterResource::displayType).toList());

    assertThat(resourcesWith(model.of(Component.OPERATOR), List.of("list", "watch")))
        .containsExactlyInAnyOrderElementsOf(watched);
  }

  @Test
  void theSyncsStateConfigMapIsTheOneTheSyncWrites() {
    assertThat(model.of(Component.SYNC).rules(Scope.NAMESPACE))
        .anySatisfy(rule -> assertThat(rule.resourceNames()).containsExactly(SyncStateStore.NAME));
  }

  @Test
  void leasesAreNamedAfterTheirComponentAndOnlyInItsNamespace() {
    for (ComponentRbac rbac : model.all()) {
      rbac.rules().stream().filter(r -> r.resources().contains("leases")).forEach(rule -> {
        assertThat(rule.scope()).as(rbac.component() + " " + rule).isEqualTo(Scope.NAMESPACE);
        if (rule.resourceNames().isEmpty()) {
          // a POST carries no name the authorizer sees: create is the only unnamed verb
          assertThat(rule.verbs()).as(rbac.component() + " " + rule).containsExactly("create");
        } else {
          assertThat(rule.resourceNames()).containsExactly(rbac.component().accountName());
        }
      });
    }
  }

  @Test
  void noComponentMayReadSecretsUseWildcardsOrGrantItselfMore() {
    for (ComponentRbac rbac : model.all()) {
      assertThat(rbac.rules()).as(rbac.component().id()).allSatisfy(rule -> {
        assertThat(rule.resources()).doesNotContain("secrets", "*");
        assertThat(rule.apiGroup()).isNotEqualTo("*");
        assertThat(rule.verbs()).doesNotContain("*", "escalate", "bind", "impersonate",
            "deletecollection");
        assertThat(rule.why()).isNotBlank();
      });
    }
  }

  @Test
  void jsonIsOneListOfEveryComponentsObjects() throws Exception {
    CliRun run = cli("deploy", "generate-rbac", "-o", "json", "-n", "platform");
    assertThat(run.exitCode()).as(run.err()).isZero();

    JsonNode list = new ObjectMapper().readTree(run.out());
    assertThat(list.get("kind").asText()).isEqualTo("List");
    List<String> accounts = new ArrayList<>();
    for (JsonNode item : list.get("items")) {
      assertThat(item.get("metadata").get("labels").get("app.kubernetes.io/part-of").asText())
          .isEqualTo("kube-devops");
      if (item.get("kind").asText().equals("ServiceAccount")) {
        accounts.add(item.get("metadata").get("namespace").asText() + "/"
            + item.get("metadata").get("name").asText());
      }
    }
    assertThat(accounts).containsExactly("platform/kube-devops-operator", "platform/kube-devops-watch",
        "platform/kube-devops-sync", "platform/kube-devops-auditor", "platform/kube-devops-webhook");
  }

  @Test
  void badFlagsAreOneLineAndExitTwo() {
    for (String[] args : List.of(new String[] {"--component", "operater"}, new String[] {"-o", "xml"},
        new String[] {"-n", ""})) {
      List<String> all = new ArrayList<>(List.of("deploy", "generate-rbac"));
      all.addAll(List.of(args));
      CliRun run = cli(all.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
      assertThat(run.out()).isEmpty();
    }
  }
}
