package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import org.junit.jupiter.api.Test;

/** Pods and ReplicaSets run by a workload of the same set are judged through it. */
class OwnershipTest {
  private static final EffectivePolicy POLICY = TestUtils.resolve("""
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata: {name: p, namespace: shop}
      spec: {bundle: baseline, maxRestartCount: 3, forbidPendingDuration: 300}
      """);

  private static AuditResult audit(String yaml) {
    return TestUtils.engine().audit(TestUtils.readYaml("dump.yaml", yaml).toObjectSet(),
        ns -> POLICY);
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop, uid: d-1}
      spec:
        template:
          spec:
            containers: [{name: web, image: "nginx:1.27"}]
      ---
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata:
        name: web-5d
        namespace: shop
        uid: rs-1
        ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}]
      spec:
        template:
          spec:
            containers: [{name: web, image: "nginx:1.27"}]
      """;

  private static String pod(String name, String ownerUid, long restarts, String phase) {
    return """
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: shop
          uid: %s-uid
          creationTimestamp: "2026-11-22T11:00:00Z"
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d, uid: %s, controller: true}]
        spec:
          containers: [{name: web, image: "nginx:1.27"}]
        status:
          phase: %s
          startTime: "2026-11-22T11:00:00Z"
          containerStatuses: [{name: web, restartCount: %d}]
        """.formatted(name, name, ownerUid, phase, restarts);
  }

  @Test
  void podsAndReplicaSetsAreJudgedOnceThroughTheirDeployment() {
    AuditResult result = audit(DEPLOYMENT + pod("web-5d-a", "rs-1", 0, "Running")
        + pod("web-5d-b", "rs-1", 7, "Running"));

    assertThat(result.subjects()).singleElement()
        .satisfies(s -> assertThat(s.object().kind()).isEqualTo("Deployment"));
    assertThat(result.owned()).isEqualTo(3);
    var restarts = result.subjects().get(0).results().stream()
        .filter(r -> r.check().equals("restartCountTooHigh")).toList();
    assertThat(restarts).extracting(CheckResult::passed).containsExactly(true, false);
    assertThat(restarts.get(1).message()).isEqualTo("Container web restarted 7 times (more than 3)");
  }

  @Test
  void aPendingPodCountsAgainstItsWorkload() {
    AuditResult result = audit(DEPLOYMENT + pod("web-5d-a", "rs-1", 0, "Pending"));

    assertThat(result.subjects().get(0).failures()).extracting(CheckResult::check)
        .contains("pendingTooLong");
  }

  @Test
  void podsWhoseControllerIsNotInTheSetAreJudgedThemselves() {
    AuditResult result = audit(pod("web-5d-a", "rs-elsewhere", 0, "Running").substring(4));

    assertThat(result.subjects()).singleElement()
        .satisfies(s -> assertThat(s.object().kind()).isEqualTo("Pod"));
    assertThat(result.owned()).isZero();
  }

  @Test
  void manifestsWithoutUidsLinkOwnersByKindAndName() {
    AuditResult result = audit("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers: [{name: r, image: "busybox:1.36"}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: report-1
          namespace: shop
          ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, controller: true}]
        spec:
          template:
            spec:
              containers: [{name: r, image: "busybox:1.36"}]
        """);

    assertThat(result.subjects()).extracting(s -> s.object().kind()).containsExactly("CronJob");
    assertThat(result.owned()).isEqualTo(1);
  }

  @Test
  void anOwnerCycleInHostileInputEnds() {
    AuditResult result = audit("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: a
          namespace: shop
          ownerReferences: [{kind: ReplicaSet, name: b, controller: true}]
        spec: {template: {spec: {containers: [{name: c, image: "x:1"}]}}}
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: b
          namespace: shop
          ownerReferences: [{kind: ReplicaSet, name: a, controller: true}]
        spec: {template: {spec: {containers: [{name: c, image: "x:1"}]}}}
        """);

    assertThat(result.subjects().size() + result.owned()).isEqualTo(2);
  }
}
