package io.stochastic.devops.engine.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.CheckResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A {@code *} token in a patch path stands for every item of the list it names. */
class RemediatorWildcardTest {
  /** Restricted, with the risky fix of hostPortSet allowed. */
  private static final EffectivePolicy RESTRICTED = TestUtils.resolve("""
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata: {name: ingress, namespace: edge}
      spec:
        bundle: restricted
        remediation:
          allowRiskyFixes: [hostPortSet]
      """);

  @Test
  void aStarBecomesOneOperationPerItemOfTheList() {
    KubeObject pod = TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: ingress
        spec:
          containers:
            - name: controller
              image: registry.example.com/ingress:1.11.2
              ports:
                - {containerPort: 80, hostPort: 80}
                - {containerPort: 10254}
                - {containerPort: 443, hostPort: 443}
        """);

    RemediationPlan plan = new Remediator().plan(pod, failures(pod, "hostPortSet"), RESTRICTED);

    assertThat(paths(plan.patch())).containsExactly(
        "/spec/containers/0/ports/0/hostPort", "/spec/containers/0/ports/2/hostPort");
    assertThat(plan.patched().at("/spec/containers/0/ports").findValues("hostPort")).isEmpty();
    assertThat(plan.fixedChecks()).containsExactly("hostPortSet");
  }

  @Test
  void aStarOverAnAbsentListGivesNoOperation() {
    KubeObject pod = TestUtils.object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: worker
        spec:
          containers:
            - name: worker
              image: registry.example.com/worker:3.1.0
        """);
    CheckResult failure = new CheckResult("hostPortSet", Severity.MEDIUM, Category.SECURITY, false,
        "worker", "", true, false, "/spec/containers/0");

    RemediationPlan plan = new Remediator().plan(pod, List.of(failure), RESTRICTED);

    assertThat(plan.isEmpty()).isTrue();
  }

  private static List<CheckResult> failures(KubeObject object, String check) {
    return TestUtils.engineWithoutSystemNamespaces().audit(ObjectSet.of(object), ns -> RESTRICTED)
        .subjects().get(0).failures().stream().filter(r -> r.check().equals(check)).toList();
  }

  private static List<String> paths(JsonNode patch) {
    List<String> paths = new ArrayList<>();
    patch.forEach(op -> paths.add(op.get("path").asText()));
    return paths;
  }
}
