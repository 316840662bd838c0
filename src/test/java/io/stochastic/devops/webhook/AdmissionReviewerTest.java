package io.stochastic.devops.webhook;

import static io.stochastic.devops.webhook.AdmissionFixtures.input;
import static io.stochastic.devops.webhook.AdmissionFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.zjsonpatch.JsonPatch;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.remediation.Remediator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionReviewerTest {
  /** Fails livenessProbeMissing (medium) and runAsPrivileged (critical, denied in enforce mode). */
  private static final String PRIVILEGED = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: nginx
                image: nginx:1.27
                securityContext: {privileged: true, allowPrivilegeEscalation: false, runAsNonRoot: true}
      """;

  private static final String AUDIT = """
      apiVersion: devops.stochastic.io/v1
      kind: DevOpsPolicy
      metadata: {name: default, namespace: shop}
      spec:
        bundle: baseline
        enforcementMode: audit
        remediation:
          livenessProbe: {tcpSocket: {port: 80}, periodSeconds: 10}
          readinessProbe: {tcpSocket: {port: 80}}
      """;

  private final AdmissionReviewer enforce =
      AdmissionFixtures.reviewer(AdmissionFixtures.BASELINE_ENFORCE);
  private final AdmissionReviewer audit = AdmissionFixtures.reviewer(AUDIT);

  @Test
  void enforceModeDeniesWithEachViolationAndHowToFixIt() {
    Verdict verdict = enforce.validate(input("CREATE", "shop", yaml(PRIVILEGED), null));
    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .startsWith("Deployment/shop/web violates")
        .contains("- runAsPrivileged [critical] container nginx: ")
        .contains("runs privileged. Fix: ")
        .doesNotContain("livenessProbeMissing");
    // what is below the deny severity is still said, as warnings
    assertThat(verdict.warnings()).anyMatch(w -> w.startsWith("livenessProbeMissing [medium]"));
  }

  @Test
  void auditModeAllowsWithTheFindingsAsWarnings() {
    Verdict verdict = audit.validate(input("CREATE", "shop", yaml(PRIVILEGED), null));
    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.decision()).isEqualTo("warned");
    assertThat(verdict.warnings())
        .anyMatch(w -> w.startsWith("runAsPrivileged [critical] container nginx: "))
        .allMatch(w -> w.length() <= AdmissionReviewer.MAX_WARNING_LENGTH);
  }

  @Test
  void anUpdateDeniesOnlyWhatTheChangeMakesWorse() {
    JsonNode old = yaml(PRIVILEGED);
    ObjectNode scaled = old.deepCopy();
    ((ObjectNode) scaled.path("spec")).put("replicas", 5);
    Verdict unrelated = enforce.validate(input("UPDATE", "shop", scaled, old));
    assertThat(unrelated.allowed()).as(unrelated.message()).isTrue();
    assertThat(unrelated.warnings())
        .anyMatch(w -> w.startsWith("runAsPrivileged") && w.endsWith("before this change)"));

    JsonNode clean = yaml(PRIVILEGED.replace("privileged: true,", "privileged: false,"));
    Verdict worse = enforce.validate(input("UPDATE", "shop", old, clean));
    assertThat(worse.allowed()).isFalse();
    assertThat(worse.message()).contains("runAsPrivileged");
  }

  @Test
  void dryRunIsJudgedTheSame() {
    ObjectNode review = AdmissionFixtures.review("CREATE", "shop", yaml(PRIVILEGED), null);
    ((ObjectNode) review.get("request")).put("dryRun", true);
    AdmissionInput dryRun = AdmissionInput.parse(review, AdmissionFixtures.JSON);
    assertThat(dryRun.dryRun()).isTrue();
    assertThat(enforce.validate(dryRun).allowed()).isFalse();
  }

  @Test
  void whatAdmissionHasNothingToSayAboutIsAdmittedUnjudged() {
    // a Deployment's pod: judged through the Deployment, or an old workload could not scale
    ObjectNode pod = (ObjectNode) yaml("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-abc
          ownerReferences:
            - {apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: u1, controller: true}
        spec:
          containers: [{name: c, image: nginx, securityContext: {privileged: true, allowPrivilegeEscalation: false, runAsNonRoot: true}}]
        """);
    assertThat(enforce.validate(input("CREATE", "shop", pod, null)).decision())
        .isEqualTo("skipped");
    assertThat(enforce.validate(input("CREATE", "kube-system", yaml(PRIVILEGED), null))
        .decision()).isEqualTo("skipped");
    assertThat(enforce.validate(input("DELETE", "shop", null, yaml(PRIVILEGED))).decision())
        .isEqualTo("skipped");
    ObjectNode deleting = (ObjectNode) yaml(PRIVILEGED);
    ((ObjectNode) deleting.get("metadata")).put("deletionTimestamp", "2026-11-22T12:00:00Z");
    assertThat(enforce.validate(input("UPDATE", "shop", deleting, yaml(PRIVILEGED))).allowed())
        .isTrue();
    ObjectNode exempt = (ObjectNode) yaml(PRIVILEGED);
    ((ObjectNode) exempt.get("metadata")).putObject("annotations")
        .put("devops.stochastic.io/exempt-checks", "runAsPrivileged");
    assertThat(enforce.validate(input("CREATE", "shop", exempt, null)).allowed()).isTrue();
  }

  @Test
  void aNamespaceWithoutPolicyIsAllowedWhenThereIsNoDefaultBundle() {
    AdmissionPolicies none = new AdmissionPolicies(
        NamespacePolicies.single(TestUtils.bundle("restricted")), false);
    AdmissionReviewer reviewer = new AdmissionReviewer(TestUtils.engine(), () -> none,
        RelatedObjects.NONE, new Remediator());
    assertThat(reviewer.validate(input("CREATE", "shop", yaml(PRIVILEGED), null)).decision())
        .isEqualTo("skipped");
  }

  @Test
  void runtimeChecksAreNotJudgedAtAdmission() {
    AdmissionPolicies policies = new AdmissionPolicies(
        NamespacePolicies.single(TestUtils.bundle("baseline")), true);
    assertThat(policies.policyFor("shop").orElseThrow().checks())
        .noneMatch(c -> c.id().equals("restartCountTooHigh") || c.id().equals("pendingTooLong"));
    assertThat(TestUtils.bundle("baseline").checks())
        .anyMatch(c -> c.id().equals("restartCountTooHigh"));
  }

  @Test
  void mutateReturnsTheEnginesRemediationAsABase64JsonPatch() throws Exception {
    JsonNode object = yaml(PRIVILEGED);
    Verdict verdict = audit.mutate(input("CREATE", "shop", object, null));
    assertThat(verdict.decision()).isEqualTo("patched");
    AdmissionReview review = AdmissionResponses.review("u1", verdict);
    assertThat(review.getResponse().getPatchType()).isEqualTo("JSONPatch");
    JsonNode patch = AdmissionFixtures.JSON.readTree(new String(
        Base64.getDecoder().decode(review.getResponse().getPatch()), StandardCharsets.UTF_8));
    JsonNode patched = JsonPatch.apply(patch, object);
    JsonNode container = patched.at("/spec/template/spec/containers/0");
    assertThat(AdmissionFixtures.JSON.convertValue(container.get("livenessProbe"), Map.class))
        .containsEntry("periodSeconds", 10);
    assertThat(container.has("readinessProbe")).isTrue();
    // the patched object no longer fails what the patch fixed
    assertThat(audit.validate(input("CREATE", "shop", patched, null)).warnings())
        .noneMatch(w -> w.startsWith("livenessProbeMissing") || w.startsWith("readinessProbe"));
  }

  @Test
  void aDeniedReviewCarriesA403WithTheMessage() {
    Verdict verdict = enforce.validate(input("CREATE", "shop", yaml(PRIVILEGED), null));
    AdmissionReview review = AdmissionResponses.review("u1", verdict);
    assertThat(review.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.getResponse().getUid()).isEqualTo("u1");
    assertThat(review.getResponse().getAllowed()).isFalse();
    assertThat(review.getResponse().getStatus().getCode()).isEqualTo(403);
    assertThat(review.getResponse().getStatus().getMessage()).isEqualTo(verdict.message());
  }

  /**
   * The review scripts/bench.sh webhook sends: it must take the paths it claims to measure (a
   * denial of the sidecar alone, a patch of the sidecar's probes), or its figures mean nothing.
   */
  @Test
  void theBenchmarksReviewIsDeniedForItsSidecarAndPatched() throws Exception {
    JsonNode review = AdmissionFixtures.JSON.readTree(
        Path.of("src/test/resources/bench/webhook-review-deployment.json").toFile());
    AdmissionInput input = AdmissionInput.parse(review, AdmissionFixtures.JSON);
    AdmissionReviewer reviewer = AdmissionFixtures.reviewer(
        Files.readString(Path.of("src/test/resources/bench/webhook-policy.yaml")));
    Verdict verdict = reviewer.validate(input);
    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message()).contains("container proxy").doesNotContain("container checkout");

    Verdict mutated = reviewer.mutate(input);
    assertThat(mutated.decision()).isEqualTo("patched");
    JsonNode patched = JsonPatch.apply(mutated.patch(), review.at("/request/object"));
    assertThat(patched.at("/spec/template/spec/containers/1/livenessProbe/tcpSocket/port").asInt())
        .isEqualTo(9901);
  }
}
