package io.stochastic.devops.auditor;

import static io.stochastic.devops.auditor.AuditFixtures.AUDIT_TIME;
import static io.stochastic.devops.auditor.AuditFixtures.audit;
import static io.stochastic.devops.auditor.AuditFixtures.fail;
import static io.stochastic.devops.auditor.AuditFixtures.policy;
import static io.stochastic.devops.auditor.AuditFixtures.sample;
import static io.stochastic.devops.auditor.AuditFixtures.subject;
import static io.stochastic.devops.auditor.AuditFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stochastic.devops.auditor.PolicyAuditResultWriter.Limits;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.v1.PolicyAuditResult;
import io.stochastic.devops.v1.PolicyAuditResultSpec;
import io.stochastic.devops.v1.policyauditresultspec.Findings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a PolicyAuditResult holds for an audit: the mapping, its order and its bounds. */
class PolicyAuditResultWriterTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void mapsTheAuditToTheContractFields() {
    PolicyAuditResult result = PolicyAuditResultWriter.resultFor(
        policy("shop", "payments", "uid-1", 4), sample("shop"), "prod-eu", AUDIT_TIME,
        Limits.DEFAULT);

    assertThat(result.getMetadata().getName()).isEqualTo("payments-20261122-100000");
    assertThat(result.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(result.getMetadata().getLabels())
        .containsExactly(Map.entry("devops.stochastic.io/policy", "payments"));
    OwnerReference owner = result.getMetadata().getOwnerReferences().get(0);
    assertThat(result.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(owner.getApiVersion()).isEqualTo("devops.stochastic.io/v1");
    assertThat(owner.getKind()).isEqualTo("DevOpsPolicy");
    assertThat(owner.getName()).isEqualTo("payments");
    assertThat(owner.getUid()).isEqualTo("uid-1");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isFalse();

    // weights: passed low 1 + medium 2 = 3 of 3 + 2 + 10 + 5 + 2 = 20 -> 15
    assertThat(SERIALIZATION.asYaml(result.getSpec())).isEqualTo("""
        ---
        auditTime: "2026-11-22T10:00:00Z"
        classification: "Critical"
        cluster: "prod-eu"
        findings:
        - check: "runAsRootAllowed"
          container: "nginx"
          kind: "Deployment"
          message: "Container nginx may run as root"
          name: "web"
          namespace: "shop"
          severity: "critical"
        - check: "tagNotSpecified"
          container: "app"
          kind: "Deployment"
          message: "Image app:latest has no tag"
          name: "api"
          namespace: "shop"
          severity: "high"
        - check: "livenessProbeMissing"
          container: "nginx"
          kind: "Deployment"
          message: "Container nginx has no liveness probe"
          name: "web"
          namespace: "shop"
          severity: "medium"
        policyRef:
          generation: 4
          name: "payments"
        score: 15
        summary:
          bySeverity:
            critical: 1
            high: 1
            low: 0
            medium: 1
          failed: 3
          passed: 2
          workloads: 3
        truncated: false
        """);
  }

  @Test
  void anEmptyNamespaceScores100WithNoFindings() {
    PolicyAuditResultSpec spec = PolicyAuditResultWriter.resultFor(
        policy("shop", "payments", "uid-1", 1), audit(), null, AUDIT_TIME, Limits.DEFAULT)
        .getSpec();

    assertThat(spec.getScore()).isEqualTo(100);
    assertThat(spec.getClassification()).isEqualTo(PolicyAuditResultSpec.Classification.HEALTHY);
    assertThat(spec.getCluster()).isNull();
    assertThat(spec.getFindings()).isEmpty();
    assertThat(spec.getTruncated()).isFalse();
    assertThat(spec.getSummary().getWorkloads()).isZero();
  }

  @Test
  void findingsAreSortedBySeverityThenObjectThenContainerAndCheck() {
    AuditResult audit = audit(
        subject(workload("StatefulSet", "shop", "db", null),
            fail("b", Severity.LOW, null, "m"), fail("a", Severity.HIGH, "x", "m")),
        subject(workload("Deployment", "shop", "web", null),
            fail("c", Severity.LOW, "z", "m"), fail("c", Severity.LOW, "a", "m"),
            fail("a", Severity.LOW, "a", "m")),
        subject(workload("Deployment", "shop", "api", null),
            fail("z", Severity.LOW, null, "m"), fail("d", Severity.CRITICAL, null, "m")));

    List<Findings> findings = PolicyAuditResultWriter.resultFor(policy("shop", "p", "u", 1),
        audit, "c", AUDIT_TIME, Limits.DEFAULT).getSpec().getFindings();

    assertThat(findings).extracting(f -> f.getSeverity().getValue() + " " + f.getKind() + "/"
            + f.getName() + " " + f.getContainer() + " " + f.getCheck())
        .containsExactly(
            "critical Deployment/api null d",
            "high StatefulSet/db x a",
            "low Deployment/api null z",
            "low Deployment/web a a",
            "low Deployment/web a c",
            "low Deployment/web z c",
            "low StatefulSet/db null b");
  }

  @Test
  void theCapKeepsTheMostSevereFindingsAndSetsTruncated() {
    PolicyAuditResultSpec spec = PolicyAuditResultWriter.resultFor(
        policy("shop", "payments", "uid-1", 1), sample("shop"), "c", AUDIT_TIME,
        Limits.DEFAULT.withMaxFindings(2)).getSpec();

    assertThat(spec.getFindings()).extracting(Findings::getCheck)
        .containsExactly("runAsRootAllowed", "tagNotSpecified");
    assertThat(spec.getTruncated()).isTrue();
    assertThat(spec.getSummary().getFailed()).as("the summary counts every finding").isEqualTo(3);
  }

  @Test
  void aCapOfExactlyTheFindingsIsNotTruncated() {
    PolicyAuditResultSpec spec = PolicyAuditResultWriter.resultFor(
        policy("shop", "payments", "uid-1", 1), sample("shop"), "c", AUDIT_TIME,
        Limits.DEFAULT.withMaxFindings(3)).getSpec();

    assertThat(spec.getFindings()).hasSize(3);
    assertThat(spec.getTruncated()).isFalse();
  }

  @Test
  void messagesAreShortenedToTheLimitInCharacters() {
    String emoji = "\uD83D\uDE80"; // one character, two UTF-16 units
    AuditResult audit = audit(subject(workload("Deployment", "shop", "web", null),
        fail("a", Severity.LOW, null, emoji.repeat(100))));

    String message = PolicyAuditResultWriter.resultFor(policy("shop", "p", "u", 1), audit, "c",
        AUDIT_TIME, Limits.DEFAULT.withMaxMessageLength(20)).getSpec().getFindings().get(0)
        .getMessage();

    assertThat(message.codePointCount(0, message.length())).isEqualTo(20);
    assertThat(message).isEqualTo(emoji.repeat(19) + "…");
  }

  @Test
  void theFindingsStayWithinTheByteBudgetWhateverTheirSize() {
    // 2000 findings on objects with 253-character names and 1 KiB messages: far beyond etcd's
    // limit unless bounded by bytes as well as by count.
    List<CheckResult> results = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      results.add(fail("check" + i, Severity.values()[i % 4], "c", "x".repeat(2000)));
    }
    AuditResult audit = new AuditResult(List.of(new SubjectResult(
        workload("Deployment", "shop", "n".repeat(253), null), results)), 0, 0);
    Limits limits = Limits.DEFAULT.withMaxFindingsBytes(64 * 1024);

    PolicyAuditResult result = PolicyAuditResultWriter.resultFor(policy("shop", "p", "u", 1),
        audit, "c", AUDIT_TIME, limits);

    long findingsBytes = SERIALIZATION.asJson(result.getSpec().getFindings())
        .getBytes(StandardCharsets.UTF_8).length;
    assertThat(findingsBytes).isLessThanOrEqualTo(64 * 1024);
    assertThat(result.getSpec().getFindings()).isNotEmpty()
        .allSatisfy(f -> assertThat(f.getMessage()).hasSize(512));
    assertThat(result.getSpec().getFindings().get(0).getSeverity())
        .isEqualTo(Findings.Severity.CRITICAL);
    assertThat(result.getSpec().getTruncated()).isTrue();
    assertThat(SERIALIZATION.asJson(result).getBytes(StandardCharsets.UTF_8).length)
        .as("the whole object").isLessThan(64 * 1024 + 4096);
  }

  @Test
  void defaultLimitsKeepTheWorstCaseFarUnderEtcdsLimit() {
    List<CheckResult> results = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      results.add(fail("check" + i, Severity.HIGH, "c".repeat(63), "\u20AC".repeat(5000)));
    }
    AuditResult audit = new AuditResult(List.of(new SubjectResult(
        workload("Deployment", "shop", "n".repeat(253), null), results)), 0, 0);

    PolicyAuditResult result = PolicyAuditResultWriter.resultFor(policy("shop", "p", "u", 1),
        audit, "c".repeat(253), AUDIT_TIME, Limits.DEFAULT);

    assertThat(SERIALIZATION.asJson(result).getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(300 * 1024);
  }

  @Test
  void everySeverityMapsToTheCrdEnum() {
    for (Severity severity : EnumSet.allOf(Severity.class)) {
      assertThat(PolicyAuditResultWriter.severity(severity).getValue()).isEqualTo(severity.id());
    }
  }

  @Test
  void namesAndLabelsFitKubernetesLimitsForLongPolicyNames() {
    String longName = "a".repeat(100) + ".b." + "c".repeat(140);
    String otherLongName = "a".repeat(100) + ".b." + "d".repeat(140);

    String name = PolicyAuditResultWriter.resultName(longName, Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(name).hasSizeLessThanOrEqualTo(253).endsWith("-20260102-030405");

    String label = PolicyAuditResultWriter.policyLabelValue(longName);
    assertThat(label).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
    assertThat(PolicyAuditResultWriter.policyLabelValue(otherLongName)).isNotEqualTo(label);
    assertThat(PolicyAuditResultWriter.policyLabelValue(longName)).as("stable").isEqualTo(label);
    assertThat(PolicyAuditResultWriter.policyLabelValue("short")).isEqualTo("short");
  }

  @Test
  void aNameShortenedAtADotEndsAlphanumeric() {
    String policyName = "a".repeat(236) + ".b";
    assertThat(PolicyAuditResultWriter.resultName(policyName, AUDIT_TIME))
        .isEqualTo("a".repeat(236) + "-20261122-100000");
  }

  @Test
  void refusesResultsOfAnotherNamespace() {
    AuditResult audit = audit(subject(workload("Deployment", "other", "web", null)));

    assertThatThrownBy(() -> PolicyAuditResultWriter.resultFor(policy("shop", "p", "u", 1),
        audit, "c", AUDIT_TIME, Limits.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the audit of DevOpsPolicy shop/p holds Deployment/other/web:"
            + " pass the results of the policy's namespace only");
  }

  @Test
  void refusesAPolicyWithoutUid() {
    assertThatThrownBy(() -> PolicyAuditResultWriter.resultFor(policy("shop", "p", null, 1),
        audit(), "c", AUDIT_TIME, Limits.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DevOpsPolicy shop/p has no uid");
  }

  @Test
  void limitsStayWithinWhatTheCrdAccepts() {
    assertThatThrownBy(() -> Limits.DEFAULT.withMaxFindings(501))
        .hasMessageContaining("0 to 500");
    assertThatThrownBy(() -> Limits.DEFAULT.withMaxMessageLength(1025))
        .hasMessageContaining("16 to 1024");
    assertThatThrownBy(() -> Limits.DEFAULT.withHistory(0))
        .hasMessageContaining("at least 1");
  }
}
