package io.stochastic.devops.auditor;

import io.stochastic.devops.kube.ListPages;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one {@code wgpolicyk8s.io/v1alpha2} PolicyReport per audited namespace
 * ({@code --policy-reports}), replacing it on every run, as Kyverno and other PolicyReport
 * producers do, so that policy-reporter and similar tools show kube-devops's verdicts.
 *
 * <p>The report: name {@code kube-devops-<namespace>} in the namespace, label
 * {@code app.kubernetes.io/managed-by: kube-devops}; {@code summary {pass, fail, warn, error,
 * skip}} over every check result (an error is a check that could not be evaluated); and
 * {@code results}, one per check result: {@code policy} (the DevOpsPolicy's name, or the bundle's
 * for a namespace without one), {@code rule} (the check id), {@code result} pass/fail/error,
 * {@code severity} (ours, critical/high/medium/low, are values of the CRD's enum),
 * {@code category}, {@code message}, {@code resources [{apiVersion, kind, name, namespace, uid}]},
 * {@code properties {container}} for a container check, {@code source: kube-devops},
 * {@code timestamp {seconds, nanos}} of the audit and {@code scored: true}. Failures come first,
 * most severe first, then passes; the list is capped by {@link Limits} (items and JSON bytes,
 * messages shortened) and, when capped, the annotation
 * {@value #OMITTED_ANNOTATION} says how many results were left out. The summary always counts
 * them all.
 *
 * <p>Each report is written in one request: a server-side apply (field manager
 * {@value PolicyAuditResultWriter#FIELD_MANAGER}, forced), which creates the report or replaces
 * every field the auditor set before, so an interrupted run leaves each report either as the
 * previous run wrote it or as this one did, never a mix. {@link #deleteStale} is to be called
 * after the run's reports are written. Transient failures are retried by {@link WriteRetry}.
 *
 * <p>Needs: {@code patch} (and {@code create}) on {@code policyreports.wgpolicyk8s.io} in the
 * audited namespaces; {@code list} cluster-wide and {@code delete} for {@link #deleteStale}.
 */
public final class PolicyReportWriter {
  public static final String API_VERSION = "wgpolicyk8s.io/v1alpha2";
  public static final String KIND = "PolicyReport";
  public static final String NAME_PREFIX = "kube-devops-";
  public static final String SOURCE = "kube-devops";
  public static final String MANAGED_BY_LABEL = Labels.MANAGED_BY;
  public static final String MANAGED_BY = Labels.MANAGED_BY_KUBE_DEVOPS;
  /** On a capped report: how many results were left out of {@code results}. */
  public static final String OMITTED_ANNOTATION = Annotations.RESULTS_OMITTED;

  static final ResourceDefinitionContext REPORTS = new ResourceDefinitionContext.Builder()
      .withGroup("wgpolicyk8s.io")
      .withVersion("v1alpha2")
      .withKind(KIND)
      .withPlural("policyreports")
      .withNamespaced(true)
      .build();

  /**
   * How much of a namespace's results a report holds.
   *
   * @param maxResults results per report
   * @param maxMessageLength characters per message
   * @param maxResultsBytes bytes of the results' JSON per report (etcd's limit is 1.5 MiB)
   */
  public record Limits(int maxResults, int maxMessageLength, long maxResultsBytes) {
    public static final Limits DEFAULT = new Limits(1000, 512, 512 * 1024);

    public Limits {
      if (maxResults < 0) {
        throw new IllegalArgumentException("maxResults must not be negative, got " + maxResults);
      }
      if (maxMessageLength < 16) {
        throw new IllegalArgumentException(
            "maxMessageLength must be at least 16, got " + maxMessageLength);
      }
      if (maxResultsBytes < 2 || maxResultsBytes > 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxResultsBytes must be 2 to 1048576, got " + maxResultsBytes);
      }
    }

    public Limits withMaxResults(int value) {
      return new Limits(value, maxMessageLength, maxResultsBytes);
    }

    public Limits withMaxMessageLength(int value) {
      return new Limits(maxResults, value, maxResultsBytes);
    }

    public Limits withMaxResultsBytes(long value) {
      return new Limits(maxResults, maxMessageLength, value);
    }
  }

  /** Failures (errors with them) first, most severe first; then passes; each by object. */
  static final Comparator<AuditedCheck> FAILURES_FIRST =
      Comparator.<AuditedCheck, Boolean>comparing(c -> c.result().passed())
          .thenComparing(AuditedCheck.MOST_SEVERE_FIRST);

  private final KubernetesClient client;
  private final Limits limits;
  private final WriteRetry retry;

  public PolicyReportWriter(KubernetesClient client, Limits limits, WriteRetry retry) {
    this.client = Objects.requireNonNull(client, "client");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /** Default limits and retries. */
  public PolicyReportWriter(KubernetesClient client) {
    this(client, Limits.DEFAULT, WriteRetry.defaults());
  }

  /** The report's name in {@code namespace}. */
  public static String reportName(String namespace) {
    return NAME_PREFIX + namespace;
  }

  /**
   * Creates or replaces the report of {@code namespace}.
   *
   * @param policy what the results are judged against: the namespace's DevOpsPolicy name, or
   *     the bundle's name when it has none
   * @param audit the results of that namespace's workloads only
   * @return the report as stored
   * @throws io.stochastic.devops.kube.KubeAccessException (or its subclass
   *     {@link io.stochastic.devops.kube.ClusterRequestException}) with one line naming the
   *     report when the write failed for good
   */
  public GenericKubernetesResource write(String namespace, String policy, AuditResult audit,
      Instant auditTime) {
    Objects.requireNonNull(policy, "policy");
    GenericKubernetesResource report = reportFor(namespace, policy, audit, auditTime, limits);
    return retry.call("writing PolicyReport " + namespace + "/" + reportName(namespace), () ->
        client.genericKubernetesResources(REPORTS).inNamespace(namespace).resource(report)
            .fieldManager(PolicyAuditResultWriter.FIELD_MANAGER).forceConflicts()
            .serverSideApply());
  }

  /**
   * Deletes the reports this writer made in namespaces other than {@code audited} (namespaces
   * that became exempt, or lost their workloads), so none is left stale. Call it after the run's
   * reports are written.
   *
   * @return {@code namespace/name} of each report deleted
   */
  public List<String> deleteStale(Collection<String> audited) {
    Set<String> keep = Set.copyOf(audited);
    List<String> deleted = new ArrayList<>();
    ListOptions ours = new ListOptionsBuilder()
        .withLabelSelector(MANAGED_BY_LABEL + "=" + MANAGED_BY).build();
    ListPages.<GenericKubernetesResource>forEach(ours, 100L,
        options -> retry.call("listing kube-devops PolicyReports", () ->
            client.genericKubernetesResources(REPORTS).inAnyNamespace().list(options)),
        report -> {
          String namespace = report.getMetadata().getNamespace();
          String name = report.getMetadata().getName();
          if (!keep.contains(namespace) && name.equals(reportName(namespace))) {
            retry.call("deleting PolicyReport " + namespace + "/" + name, () ->
                client.genericKubernetesResources(REPORTS).inNamespace(namespace)
                    .withName(name).delete());
            deleted.add(namespace + "/" + name);
          }
        });
    return deleted;
  }

  /** The report {@link #write} applies, without writing it. */
  public static GenericKubernetesResource reportFor(String namespace, String policy,
      AuditResult audit, Instant auditTime, Limits limits) {
    for (SubjectResult subject : audit.subjects()) {
      if (!namespace.equals(subject.object().namespace())) {
        throw new IllegalArgumentException("the PolicyReport of namespace " + namespace
            + " was given " + subject.object().displayName()
            + ": pass the results of that namespace only");
      }
    }
    int pass = 0;
    int fail = 0;
    int error = 0;
    for (SubjectResult subject : audit.subjects()) {
      for (CheckResult r : subject.results()) {
        if (r.passed()) {
          pass++;
        } else if (r.error()) {
          error++;
        } else {
          fail++;
        }
      }
    }
    Map<String, Object> timestamp = new LinkedHashMap<>();
    timestamp.put("seconds", auditTime.getEpochSecond());
    timestamp.put("nanos", auditTime.getNano());
    List<Map<String, Object>> all = AuditedCheck.sorted(audit, r -> true, FAILURES_FIRST)
        .stream()
        .map(row -> result(row, policy, timestamp, limits.maxMessageLength()))
        .toList();
    Bounded.Capped<Map<String, Object>> kept =
        Bounded.cap(all, limits.maxResults(), limits.maxResultsBytes());

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("pass", pass);
    summary.put("fail", fail);
    summary.put("warn", 0);
    summary.put("error", error);
    summary.put("skip", 0);

    GenericKubernetesResource report = new GenericKubernetesResource();
    report.setApiVersion(API_VERSION);
    report.setKind(KIND);
    ObjectMetaBuilder meta = new ObjectMetaBuilder()
        .withName(reportName(namespace))
        .withNamespace(namespace)
        .addToLabels(MANAGED_BY_LABEL, MANAGED_BY);
    if (kept.truncated()) {
      meta.addToAnnotations(OMITTED_ANNOTATION, Integer.toString(kept.omitted()));
    }
    report.setMetadata(meta.build());
    report.setAdditionalProperty("summary", summary);
    report.setAdditionalProperty("results", new ArrayList<>(kept.items()));
    return report;
  }

  /** Our severity as the PolicyReport CRD's enum value (v1alpha2: critical, high, medium, low, info). */
  static String severity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "critical";
      case HIGH -> "high";
      case MEDIUM -> "medium";
      case LOW -> "low";
    };
  }

  /** The report's word for a check result. */
  static String outcome(CheckResult result) {
    return result.passed() ? "pass" : result.error() ? "error" : "fail";
  }

  private static Map<String, Object> result(AuditedCheck row, String policy,
      Map<String, Object> timestamp, int maxMessageLength) {
    KubeObject object = row.object();
    CheckResult r = row.result();
    Map<String, Object> resource = new LinkedHashMap<>();
    putIfPresent(resource, "apiVersion", object.apiVersion());
    putIfPresent(resource, "kind", object.kind());
    putIfPresent(resource, "name", object.name());
    putIfPresent(resource, "namespace", object.namespace());
    putIfPresent(resource, "uid", KubeObject.stringAt(object.metadata(), "uid"));

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("policy", policy);
    result.put("rule", r.check());
    result.put("result", outcome(r));
    result.put("severity", severity(r.severity()));
    result.put("category", r.category().id());
    putIfPresent(result, "message", Bounded.truncate(r.message(), maxMessageLength));
    result.put("resources", List.of(resource));
    if (r.container() != null) {
      result.put("properties", Map.of("container", r.container()));
    }
    result.put("source", SOURCE);
    result.put("timestamp", timestamp);
    result.put("scored", true);
    return result;
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }
}
