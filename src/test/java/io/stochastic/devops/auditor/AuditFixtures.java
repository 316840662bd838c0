package io.stochastic.devops.auditor;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.DevOpsPolicySpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Engine results built by hand, so that a test controls every field the writers map. */
final class AuditFixtures {
  static final Instant AUDIT_TIME = Instant.parse("2026-11-22T10:00:00.250Z");

  private AuditFixtures() {}

  static KubeObject workload(String kind, String namespace, String name, String uid) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    if (uid != null) {
      metadata.put("uid", uid);
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("apiVersion", kind.equals("Pod") ? "v1" : "apps/v1");
    content.put("kind", kind);
    content.put("metadata", metadata);
    return new KubeObject(content, "cluster", namespace);
  }

  static CheckResult fail(String check, Severity severity, String container, String message) {
    return new CheckResult(check, severity, Category.RELIABILITY, false, container, message,
        false, false, "");
  }

  static CheckResult error(String check, Severity severity, String message) {
    return new CheckResult(check, severity, Category.SECURITY, false, null, message, false, true,
        "");
  }

  static CheckResult pass(String check, Severity severity, String container) {
    return new CheckResult(check, severity, Category.EFFICIENCY, true, container,
        check + " passed", false, false, "");
  }

  static SubjectResult subject(KubeObject object, CheckResult... results) {
    return new SubjectResult(object, List.of(results));
  }

  static AuditResult audit(SubjectResult... subjects) {
    return new AuditResult(List.of(subjects), 0, 0);
  }

  /** A policy as read from a cluster: name, namespace, uid and generation set. */
  static DevOpsPolicy policy(String namespace, String name, String uid, long generation) {
    DevOpsPolicy policy = new DevOpsPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
        .withUid(uid).withGeneration(generation).build());
    policy.setSpec(new DevOpsPolicySpec());
    return policy;
  }

  /**
   * Namespace {@code ns}: web (Deployment) fails a medium and a critical check and passes one;
   * api (Deployment) fails a high check; job (Pod) passes everything.
   */
  static AuditResult sample(String ns) {
    return audit(
        subject(workload("Deployment", ns, "web", "uid-web"),
            fail("livenessProbeMissing", Severity.MEDIUM, "nginx",
                "Container nginx has no liveness probe"),
            fail("runAsRootAllowed", Severity.CRITICAL, "nginx",
                "Container nginx may run as root"),
            pass("cpuLimitsMissing", Severity.LOW, "nginx")),
        subject(workload("Deployment", ns, "api", "uid-api"),
            fail("tagNotSpecified", Severity.HIGH, "app", "Image app:latest has no tag")),
        subject(workload("Pod", ns, "job", null),
            pass("livenessProbeMissing", Severity.MEDIUM, "main")));
  }
}
