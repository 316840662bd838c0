package io.stochastic.devops.report;

import io.stochastic.devops.api.ApiGroup;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit report (DESIGN.md §3, contract; docs/report-format.md): what {@code -o json} and
 * {@code -o yaml} print, and what the other renderers read. Fields may be added, never removed
 * or renamed.
 */
@JsonPropertyOrder({"apiVersion", "kind", "cluster", "score", "classification", "summary",
    "workloads", "undeclaredWorkloadKinds"})
public record AuditReport(
    String apiVersion,
    String kind,
    @JsonInclude(JsonInclude.Include.NON_NULL) String cluster,
    int score,
    String classification,
    Summary summary,
    List<Workload> workloads,
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<UndeclaredWorkloadKind> undeclaredWorkloadKinds) {

  public static final String API_VERSION = ApiGroup.API_VERSION;
  public static final String KIND = "AuditReport";

  /**
   * Counts over the whole audit: {@code passed}/{@code failed} count check results,
   * {@code bySeverity} the failed ones; {@code skipped} objects no check judges (Services,
   * custom resources), {@code exempt} workloads exempted by annotation or system namespace,
   * {@code owned} pods, ReplicaSets and Jobs judged through the workload that runs them (absent
   * when none), {@code skippedInvalid} documents that could not be read as Kubernetes objects
   * and were skipped under {@code --skip-invalid} (absent when none).
   * {@code workloads} counts the workloads judged (the kinds that run pods, and bare pods);
   * {@code otherObjects} the other objects checks judged (ConfigMaps, RBAC bindings, Ingresses,
   * NetworkPolicies...), listed among {@code workloads} too (absent when none);
   * {@code skippedKustomizations} the Kustomize directories, files and documents not audited
   * (absent when none); {@code duplicates} the objects defined more than once in the input,
   * each judged once as defined last (absent when none).
   */
  @JsonPropertyOrder({"workloads", "otherObjects", "passed", "failed", "bySeverity", "skipped",
      "exempt", "owned", "skippedInvalid", "skippedKustomizations", "duplicates"})
  public record Summary(int workloads,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int otherObjects, int passed, int failed,
      Map<String, Integer> bySeverity, int skipped, int exempt,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int owned,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int skippedInvalid,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int skippedKustomizations,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int duplicates) {}

  @JsonPropertyOrder({"kind", "namespace", "name", "source", "score", "classification",
      "findings"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Workload(String kind, String namespace, String name, String source, int score,
      String classification, List<Finding> findings) {}

  /** A failed check result, or with --show-passed a passing one ({@code passed: true}). */
  @JsonPropertyOrder({"check", "severity", "category", "container", "message", "remediable",
      "passed"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Finding(String check, String severity, String category, String container,
      String message, boolean remediable, boolean passed) {}

  /**
   * A custom kind whose objects carry a pod template but that no policy or
   * {@code --workload-kind} declares: its objects were skipped (and counted in
   * {@code summary.skipped}). {@code declaration} is what {@code --workload-kind} takes.
   */
  @JsonPropertyOrder({"kind", "group", "podTemplatePath", "objects", "declaration"})
  public record UndeclaredWorkloadKind(String kind, String group, String podTemplatePath,
      int objects, String declaration) {}

  /** Builds the report of an audit; {@code showPassed} adds passing results to findings. */
  public static AuditReport of(AuditResult result, boolean showPassed) {
    return of(result, showPassed, null);
  }

  /** @param cluster the audited cluster's name (null: an offline audit, no field) */
  public static AuditReport of(AuditResult result, boolean showPassed, String cluster) {
    return of(result, showPassed, cluster, 0);
  }

  /** @param skippedInvalid documents skipped as unreadable under --skip-invalid */
  public static AuditReport of(AuditResult result, boolean showPassed, String cluster,
      int skippedInvalid) {
    return of(result, showPassed, cluster, new InputCounts(skippedInvalid, 0, 0));
  }

  /**
   * What reading the input left out, for the summary: documents skipped under
   * {@code --skip-invalid}, Kustomize inputs skipped, objects defined more than once.
   */
  public record InputCounts(int skippedInvalid, int skippedKustomizations, int duplicates) {
    public static final InputCounts NONE = new InputCounts(0, 0, 0);
  }

  /** @param input what reading the input skipped or merged */
  public static AuditReport of(AuditResult result, boolean showPassed, String cluster,
      InputCounts input) {
    Score total = result.score();
    List<Workload> workloads = new ArrayList<>();
    for (SubjectResult subject : result.subjects()) {
      KubeObject object = subject.object();
      Score score = subject.score();
      List<Finding> findings = new ArrayList<>();
      for (CheckResult r : subject.results()) {
        if (!r.passed() || showPassed) {
          findings.add(new Finding(r.check(), r.severity().id(), r.category().id(),
              r.container(), r.message(), r.remediable() && !r.passed(), r.passed()));
        }
      }
      workloads.add(new Workload(object.kind(), object.namespace(), object.name(),
          object.source(), score.value(), score.classification().name(), findings));
    }
    Map<String, Integer> bySeverity = new LinkedHashMap<>();
    for (Severity s : Severity.values()) {
      bySeverity.put(s.id(), total.failed(s));
    }
    return new AuditReport(API_VERSION, KIND, cluster, total.value(), total.classification().name(),
        new Summary(result.workloads(), result.otherObjects(), total.passed(), total.failed(),
            bySeverity, result.skipped(), result.exempt(), result.owned(),
            input.skippedInvalid(), input.skippedKustomizations(), input.duplicates()),
        workloads, result.undeclared().stream().map(u -> new UndeclaredWorkloadKind(u.kind(),
            u.group(), u.podTemplatePath(), u.objects(), u.declaration())).toList());
  }
}
