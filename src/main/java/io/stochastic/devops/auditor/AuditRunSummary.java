package io.stochastic.devops.auditor;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one batch audit run found, in the shape its metrics take: built from the engine's results
 * with {@link #builder(String)}, published by {@link PushgatewayPublisher}.
 *
 * @param cluster the cluster's name (the Pushgateway grouping key and the {@code cluster} label)
 * @param clusterScore the score over every result of every namespace (DESIGN.md §1 Scoring)
 * @param namespaces one entry per audited namespace, ordered by name
 * @param resultsWritten PolicyAuditResult resources written by the run
 * @param resultWriteFailures PolicyAuditResult resources the run failed to write
 * @param duration how long the run took
 * @param finishedAt when it finished
 */
public record AuditRunSummary(
    String cluster,
    int clusterScore,
    List<NamespaceSummary> namespaces,
    int resultsWritten,
    int resultWriteFailures,
    Duration duration,
    Instant finishedAt) {

  public AuditRunSummary {
    if (cluster == null || cluster.isBlank()) {
      throw new IllegalArgumentException("the cluster name is empty");
    }
    namespaces = namespaces.stream()
        .sorted(Comparator.comparing(NamespaceSummary::namespace))
        .toList();
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }

  /**
   * One namespace's part of a run.
   *
   * @param policy the namespace's DevOpsPolicy, or null when it has none (the default bundle)
   * @param violationsBySeverity failed check results by severity; every severity is present
   * @param checkViolations failed results per check that applied in the namespace (0 when it
   *     passed everywhere), ordered by check and severity
   * @param workloads workloads audited (exempt ones not included)
   * @param exemptWorkloads workloads skipped for an exemption annotation
   */
  public record NamespaceSummary(
      String namespace,
      String policy,
      int score,
      Map<Severity, Integer> violationsBySeverity,
      List<CheckViolations> checkViolations,
      int workloads,
      int exemptWorkloads) {

    public NamespaceSummary {
      Objects.requireNonNull(namespace, "namespace");
      Map<Severity, Integer> all = new EnumMap<>(Severity.class);
      for (Severity severity : Severity.values()) {
        all.put(severity, violationsBySeverity.getOrDefault(severity, 0));
      }
      violationsBySeverity = Collections.unmodifiableMap(all);
      checkViolations = checkViolations.stream()
          .sorted(Comparator.comparing(CheckViolations::check)
              .thenComparing(CheckViolations::severity))
          .toList();
    }

    /**
     * The summary of one namespace's results: a failed check result (also one that could not
     * be evaluated) is a violation; the score is {@link AuditResult#score()}.
     */
    public static NamespaceSummary of(String namespace, String policy, AuditResult result) {
      Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
      Map<CheckKey, Integer> byCheck = new LinkedHashMap<>();
      int workloads = 0;
      for (SubjectResult subject : result.subjects()) {
        if (subject.workload()) {
          workloads++;
        }
        for (CheckResult check : subject.results()) {
          int failed = check.passed() ? 0 : 1;
          byCheck.merge(new CheckKey(check.check(), check.severity()), failed, Integer::sum);
          bySeverity.merge(check.severity(), failed, Integer::sum);
        }
      }
      List<CheckViolations> checks = new ArrayList<>();
      byCheck.forEach((key, count) -> checks.add(
          new CheckViolations(key.check(), key.severity(), count)));
      return new NamespaceSummary(namespace, policy, result.score().value(), bySeverity, checks,
          workloads, result.exempt());
    }

    private record CheckKey(String check, Severity severity) {}
  }

  /**
   * Failed results of one check in a namespace. A check appears once per severity it had there
   * (one, unless the results came from differently configured policies).
   */
  public record CheckViolations(String check, Severity severity, int count) {}

  /** Collects a run's namespaces; the cluster score is the ratio over all their results. */
  public static Builder builder(String cluster) {
    return new Builder(cluster);
  }

  public static final class Builder {
    private final String cluster;
    private final Score clusterScore = new Score();
    private final Map<String, NamespaceSummary> namespaces = new TreeMap<>();
    private int resultsWritten;
    private int resultWriteFailures;

    private Builder(String cluster) {
      this.cluster = cluster;
    }

    /**
     * Adds one audited namespace.
     *
     * @param policy the namespace's DevOpsPolicy name, or null when it has none
     * @throws IllegalArgumentException when the namespace was added already
     */
    public Builder namespace(String namespace, String policy, AuditResult result) {
      NamespaceSummary summary = NamespaceSummary.of(namespace, policy, result);
      if (namespaces.putIfAbsent(namespace, summary) != null) {
        throw new IllegalArgumentException("namespace " + namespace + " was added twice");
      }
      clusterScore.add(result.score());
      return this;
    }

    public Builder resultsWritten(int written, int failed) {
      this.resultsWritten = written;
      this.resultWriteFailures = failed;
      return this;
    }

    public AuditRunSummary build(Duration duration, Instant finishedAt) {
      return new AuditRunSummary(cluster, clusterScore.value(), List.copyOf(namespaces.values()),
          resultsWritten, resultWriteFailures, duration, finishedAt);
    }
  }
}
