package io.stochastic.devops.cli;

import static io.stochastic.devops.TestUtils.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils.CliRun;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import org.junit.jupiter.api.Test;

/** {@code kube-devops check} against a real API server with the CRDs installed. */
@IntegrationTest
class EnvironmentCheckIT {

  @Test
  void reportsAReachableClusterAndItsCrds(TestingNamespace namespace) {
    CliRun run = cli("check", "--kubeconfig", namespace.kubeconfig().toString());
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .contains("cluster:         reachable, Kubernetes v1.36")
        .contains("devopspolicies.devops.stochastic.io installed")
        .contains("policyauditresults.devops.stochastic.io installed");
    assertThat(run.err()).isEmpty();
  }
}
