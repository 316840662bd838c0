package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The messages of the checks whose {@code value} says more than pass or fail, on their own
 * fixtures (under the conformance policy, on the tests' clock): the table test
 * {@link CheckFixturesTest} holds only the verdicts.
 */
class CheckMessagesTest {
  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource(delimiter = '|', textBlock = """
      missingNetworkPolicy | failure.deployment_without_policy.yaml | Deployment web has no NetworkPolicy selecting its pods for ingress or egress traffic
      missingNetworkPolicy | failure.default_deny_ingress_only.yaml | Deployment web has no NetworkPolicy selecting its pods for egress traffic
      missingNetworkPolicy | failure.default_deny_egress_only.yaml | Deployment web has no NetworkPolicy selecting its pods for ingress traffic
      missingNetworkPolicy | failure.policytypes_defaulted_ingress_only.yaml | Deployment web has no NetworkPolicy selecting its pods for egress traffic
      missingNetworkPolicy | failure.default_deny_wrong_selector.yaml | Deployment web has no NetworkPolicy selecting its pods for ingress or egress traffic
      sensitiveContainerEnvVar | failure.db-password.yaml | Container web sets credentials in plain text in environment variable DB_PASSWORD
      sensitiveConfigmapContent | failure.password.yaml | ConfigMap api-settings looks like it holds credentials in key password
      pendingTooLong | failure.yaml | Pod worker-0 has been Pending for 1h (more than 5m)
      pendingTooLong | failure.days.yaml | Pod worker-1 has been Pending for 10d 21h (more than 5m)
      pendingTooLong | failure.minutes.yaml | Pod worker-2 has been Pending for 6m 40s (more than 5m)
      resourceRange | failure.cpu-below.yaml | Container web has CPU limit 50m below the minimum 100m
      resourceRange | failure.memory-above-cpu-in-range.yaml | Container cache has memory limit 8Gi above the maximum 6G
      resourceRange | failure.both-out-of-range.yaml | Container batch has CPU limit 4 above the maximum 2 and memory limit 64Mi below the minimum 100Mi
      """)
  void failureMessage(String check, String fixture, String message) throws IOException {
    EffectivePolicy policy = TestUtils.resolve(
        Files.readString(Path.of("src/test/resources/conformance/policy.yaml")));
    var batch = TestUtils.read(CheckFixturesTest.OWN.resolve(check).resolve(fixture));
    var results = TestUtils.engineWithoutSystemNamespaces()
        .audit(batch.toObjectSet(), ns -> policy).subjects().stream()
        .flatMap(s -> s.results().stream()).filter(r -> r.check().equals(check)).toList();
    assertThat(results).filteredOn(r -> !r.passed()).extracting(CheckResult::message)
        .containsExactly(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sensitiveContainerEnvVar | env: [{name: password, value: abc123}, {name: API_TOKEN, value: ghp_x1}, {name: PASSWORD_FILE, value: /run/secrets/p}] | Container web sets credentials in plain text in environment variables password, API_TOKEN
      """)
  void pluralMessage(String check, String env, String message) {
    EffectivePolicy policy = TestUtils.resolve(
        "apiVersion: devops.stochastic.io/v1\nkind: DevOpsPolicy\nmetadata: {name: p}\n"
            + "spec: {bundle: restricted}\n");
    var batch = TestUtils.readYaml("pod.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          containers:
            - name: web
              image: registry.example.com/web:1.4.2
              %s
        """.formatted(env));
    var results = TestUtils.engineWithoutSystemNamespaces()
        .audit(batch.toObjectSet(), ns -> policy).subjects().stream()
        .flatMap(s -> s.results().stream()).filter(r -> r.check().equals(check)).toList();
    assertThat(results).filteredOn(r -> !r.passed()).extracting(CheckResult::message)
        .containsExactly(message);
  }
}
