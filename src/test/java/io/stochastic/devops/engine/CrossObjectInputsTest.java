package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rule of the checks whose finding is that something does not exist (a Service, a target,
 * a pod template): they judge a subject only when the inputs hold objects of the kind looked for
 * in its namespace, since an offline audit of part of a namespace, and the webhook (which sees
 * no related objects), cannot tell a missing object from one they were not given. The fixture
 * test only sees pass or fail; this one counts the results, so "not judged" and "judged and
 * passed" are told apart.
 */
class CrossObjectInputsTest {
  @ParameterizedTest(name = "{0}/{1}: {2} judged, {3} failed")
  @CsvSource(delimiter = '|', textBlock = """
      hpaTargetMissing | success.target_present.yaml | 1 | 0
      hpaTargetMissing | success.custom_kind.yaml | 1 | 0
      hpaTargetMissing | success.kind_not_given.yaml | 0 | 0
      hpaTargetMissing | failure.other_namespace.yaml | 1 | 1
      ingressBackendServiceMissing | success.all_present.yaml | 1 | 0
      ingressBackendServiceMissing | success.services_not_given.yaml | 0 | 0
      serviceSelectsNoPods | success.selects_template.yaml | 3 | 0
      serviceSelectsNoPods | success.not_judged.yaml | 0 | 0
      serviceSelectsNoPods | failure.typo.yaml | 1 | 1
      networkPolicySelectsNoPods | success.selects_template.yaml | 1 | 0
      networkPolicySelectsNoPods | success.not_judged.yaml | 0 | 0
      statefulSetHeadlessServiceMissing | success.headless.yaml | 1 | 0
      statefulSetHeadlessServiceMissing | success.services_not_given.yaml | 0 | 0
      statefulSetHeadlessServiceMissing | failure.no_service_name.yaml | 1 | 1
      replicasSetUnderHPA | success.replicas_left_out.yaml | 1 | 0
      replicasSetUnderHPA | success.live_scaled_by_hpa.yaml | 1 | 0
      replicasSetUnderHPA | success.hpa_for_another_deployment.yaml | 0 | 0
      replicasNotSpreadAcrossNodes | success.hostname_spread_under_hpa.yaml | 1 | 0
      replicasNotSpreadAcrossNodes | success.single_replica.yaml | 0 | 0
      rollingUpdateRoundsToZero | success.both_literally_zero.yaml | 1 | 0
      rollingUpdateRoundsToZero | success.hpa_min_replicas.yaml | 1 | 0
      rollingUpdateRoundsToZero | success.recreate.yaml | 0 | 0
      selectorDoesNotMatchTemplate | success.generated_job_selector.yaml | 0 | 0
      selectorDoesNotMatchTemplate | success.replica_set.yaml | 1 | 0
      pdbBudgetMissing | success.v1beta1_defaulted.yaml | 0 | 0
      """)
  void judgedOnlyWhenTheKindLookedForIsAmongTheInputs(String check, String fixture, int judged,
      int failed) {
    List<CheckResult> results = results(check, fixture, null);
    assertThat(results).as("results of %s on %s", check, fixture).hasSize(judged);
    assertThat(results).filteredOn(r -> !r.passed()).hasSize(failed);
  }

  /**
   * As the webhook judges: each object alone, with no related objects. Every check that reports
   * a missing object then stays silent instead of denying on what it cannot see.
   */
  @ParameterizedTest(name = "{0}/{1} alone")
  @CsvSource(delimiter = '|', textBlock = """
      hpaTargetMissing | failure.misspelt.yaml
      ingressBackendServiceMissing | failure.path_backend.yaml
      serviceSelectsNoPods | failure.typo.yaml
      networkPolicySelectsNoPods | failure.typo.yaml
      statefulSetHeadlessServiceMissing | failure.missing.yaml
      replicasSetUnderHPA | failure.manifest_sets_replicas.yaml
      """)
  void aFailureIsNotJudgedWithoutRelatedObjects(String check, String fixture) {
    assertThat(results(check, fixture, RelatedObjects.NONE)).isEmpty();
    // the objects themselves are judged alone, by the checks that read nothing else
    assertThat(results(null, check, fixture, RelatedObjects.NONE)).isNotEmpty();
  }

  /** The results of {@code check} on the fixture's objects: audited together, or each alone. */
  private static List<CheckResult> results(String check, String fixture, RelatedObjects alone) {
    return results(check, check, fixture, alone);
  }

  /** The results of {@code check} (null: of every check) on a fixture of {@code directory}. */
  private static List<CheckResult> results(String check, String directory, String fixture,
      RelatedObjects alone) {
    EffectivePolicy policy = TestUtils.bundle("restricted");
    ObjectSet objects = TestUtils.read(CheckFixturesTest.OWN.resolve(directory).resolve(fixture))
        .toObjectSet();
    Engine engine = TestUtils.engineWithoutSystemNamespaces();
    Stream<SubjectResult> subjects = alone == null
        ? engine.audit(objects, ns -> policy).subjects().stream()
        : objects.objects().stream().map(o -> engine.judge(o, alone, policy).result())
            .filter(Objects::nonNull);
    return subjects.flatMap(s -> s.results().stream())
        .filter(r -> check == null || r.check().equals(check)).toList();
  }
}
