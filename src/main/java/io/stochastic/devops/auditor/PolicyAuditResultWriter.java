package io.stochastic.devops.auditor;

import io.stochastic.devops.kube.ListPages;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.api.FieldManagers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.Score;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.PolicyAuditResult;
import io.stochastic.devops.v1.PolicyAuditResultSpec;
import io.stochastic.devops.v1.policyauditresultspec.Findings;
import io.stochastic.devops.v1.policyauditresultspec.PolicyRef;
import io.stochastic.devops.v1.policyauditresultspec.Summary;
import io.stochastic.devops.v1.policyauditresultspec.summary.BySeverity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the {@code PolicyAuditResult} of one audit of one DevOpsPolicy's namespace (DESIGN.md §2)
 * and keeps that policy's history bounded.
 *
 * <p>What is written: {@code spec.policyRef {name, generation}}, {@code cluster},
 * {@code auditTime} (whole seconds, UTC), {@code score}, {@code classification},
 * {@code summary {workloads, passed, failed, bySeverity}} over every result, and {@code findings}
 * (failed results, most severe first, then by object, container and check), capped by
 * {@link Limits}: at most {@code maxFindings} items and {@code maxFindingsBytes} bytes of JSON,
 * each message at most {@code maxMessageLength} characters; {@code truncated: true} when findings
 * were left out. Metadata: the name {@code <policy>-<yyyyMMdd-HHmmss>} of the audit time, the
 * label {@code devops.stochastic.io/policy: <policy>} and a controller owner reference to the
 * policy, so that deleting the policy garbage-collects its results. The owner reference has
 * {@code blockOwnerDeletion: false}: nothing needs the results gone before the policy is, and
 * {@code true} would require the auditor to hold {@code update} on
 * {@code devopspolicies/finalizers} wherever the OwnerReferencesPermissionEnforcement admission
 * plugin is on.
 *
 * <p>Order of the requests, and why a run interrupted anywhere leaves no half-written state:
 * <ol>
 *   <li>the result is created in one request (never updated, never patched): it either exists
 *       complete or not at all;
 *   <li>only then, the policy's results are listed and all but the one just written and the
 *       newest {@code history - 1} others (by {@code spec.auditTime}, then
 *       {@code creationTimestamp}) are deleted, one request each. The result just written is
 *       never deleted, even when a clock put older ones ahead of it. An interruption here
 *       leaves more history than wanted, which the next run's prune removes.
 * </ol>
 * The name derives from the policy and the audit time, so a create retried after a lost answer
 * finds its own result ({@code AlreadyExists} with the same policy uid, cluster and audit time)
 * and counts it as written instead of writing a duplicate; a different result of that name gets
 * a server-generated suffix instead. Transient failures are retried by {@link WriteRetry};
 * anything else fails with one line naming the object. Pruning touches only objects with this
 * policy's label whose {@code spec.policyRef.name} is this policy, in its namespace.
 *
 * <p>Needs: {@code create}, {@code get}, {@code list} and {@code delete} on
 * {@code policyauditresults} in the policy's namespace.
 */
public final class PolicyAuditResultWriter {
  /** Field manager of everything the batch auditor writes (DESIGN.md §4, contract). */
  public static final String FIELD_MANAGER = FieldManagers.AUDITOR;
  /** Label naming the policy a result belongs to (DESIGN.md §2, contract). */
  public static final String POLICY_LABEL = Labels.POLICY;

  /** The CRD's {@code maxItems} of {@code spec.findings}. */
  public static final int CRD_MAX_FINDINGS = 500;
  /** The CRD's {@code maxLength} of a finding's {@code message}. */
  public static final int CRD_MAX_MESSAGE_LENGTH = 1024;

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_VALUE_LENGTH = 63;
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final ResourceDefinitionContext RESULTS =
      ResourceDefinitionContext.fromResourceType(PolicyAuditResult.class);
  private static final long LIST_PAGE = 50;

  /**
   * How much is kept.
   *
   * @param maxFindings findings per result, 0 to {@value #CRD_MAX_FINDINGS}
   * @param maxMessageLength characters per finding message, 16 to
   *     {@value #CRD_MAX_MESSAGE_LENGTH}
   * @param maxFindingsBytes bytes of the findings' JSON per result: with names, kinds and
   *     messages of any length, this is what keeps the object far from etcd's 1.5 MiB limit
   * @param history results kept per policy, the one just written included; at least 1
   */
  public record Limits(int maxFindings, int maxMessageLength, long maxFindingsBytes,
      int history) {
    public static final Limits DEFAULT = new Limits(CRD_MAX_FINDINGS, 512, 256 * 1024, 10);

    public Limits {
      if (maxFindings < 0 || maxFindings > CRD_MAX_FINDINGS) {
        throw new IllegalArgumentException("maxFindings must be 0 to " + CRD_MAX_FINDINGS
            + " (the PolicyAuditResult CRD's limit), got " + maxFindings);
      }
      if (maxMessageLength < 16 || maxMessageLength > CRD_MAX_MESSAGE_LENGTH) {
        throw new IllegalArgumentException("maxMessageLength must be 16 to "
            + CRD_MAX_MESSAGE_LENGTH + ", got " + maxMessageLength);
      }
      if (maxFindingsBytes < 2 || maxFindingsBytes > 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxFindingsBytes must be 2 to 1048576, got " + maxFindingsBytes);
      }
      if (history < 1) {
        throw new IllegalArgumentException("history must be at least 1, got " + history);
      }
    }

    public Limits withMaxFindings(int value) {
      return new Limits(value, maxMessageLength, maxFindingsBytes, history);
    }

    public Limits withMaxMessageLength(int value) {
      return new Limits(maxFindings, value, maxFindingsBytes, history);
    }

    public Limits withMaxFindingsBytes(long value) {
      return new Limits(maxFindings, maxMessageLength, value, history);
    }

    public Limits withHistory(int value) {
      return new Limits(maxFindings, maxMessageLength, maxFindingsBytes, value);
    }
  }

  /**
   * What one {@link #write} did.
   *
   * @param written the result as stored (its name included)
   * @param pruned names of the older results of the policy deleted afterwards
   */
  public record Outcome(PolicyAuditResult written, List<String> pruned) {
    public Outcome {
      pruned = List.copyOf(pruned);
    }
  }

  private final KubernetesClient client;
  private final Limits limits;
  private final WriteRetry retry;

  public PolicyAuditResultWriter(KubernetesClient client, Limits limits, WriteRetry retry) {
    this.client = Objects.requireNonNull(client, "client");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /** Default limits and retries. */
  public PolicyAuditResultWriter(KubernetesClient client) {
    this(client, Limits.DEFAULT, WriteRetry.defaults());
  }

  /**
   * Writes the result of one audit of {@code policy}'s namespace, then prunes that policy's
   * history.
   *
   * @param policy the DevOpsPolicy as read from the cluster (name, namespace, uid, generation)
   * @param audit the results of the workloads of the policy's namespace only
   * @param cluster the audited cluster's name, or null
   * @param auditTime when the audit ran (stored to the second)
   * @throws io.stochastic.devops.kube.KubeAccessException (or its subclass
   *     {@link io.stochastic.devops.kube.ClusterRequestException}) with one line naming the
   *     object when a request failed for good
   * @throws IllegalArgumentException when the policy has no uid or {@code audit} holds objects
   *     of another namespace
   */
  public Outcome write(DevOpsPolicy policy, AuditResult audit, String cluster,
      Instant auditTime) {
    PolicyAuditResult desired = resultFor(policy, audit, cluster, auditTime, limits);
    PolicyAuditResult written = create(desired);
    List<String> pruned = prune(policy, written.getMetadata().getName());
    return new Outcome(written, pruned);
  }

  /** The PolicyAuditResult {@link #write} creates, without writing it. */
  public static PolicyAuditResult resultFor(DevOpsPolicy policy, AuditResult audit,
      String cluster, Instant auditTime, Limits limits) {
    ObjectMeta policyMeta = requireIdentity(policy);
    String namespace = policyMeta.getNamespace();
    for (SubjectResult subject : audit.subjects()) {
      if (!namespace.equals(subject.object().namespace())) {
        throw new IllegalArgumentException("the audit of DevOpsPolicy " + namespace + "/"
            + policyMeta.getName() + " holds " + subject.object().displayName()
            + ": pass the results of the policy's namespace only");
      }
    }
    Instant time = auditTime.truncatedTo(ChronoUnit.SECONDS);

    PolicyAuditResultSpec spec = new PolicyAuditResultSpec();
    PolicyRef ref = new PolicyRef();
    ref.setName(policyMeta.getName());
    ref.setGeneration(policyMeta.getGeneration());
    spec.setPolicyRef(ref);
    spec.setCluster(cluster);
    spec.setAuditTime(ZonedDateTime.ofInstant(time, ZoneOffset.UTC));
    Score score = audit.score();
    spec.setScore(score.value());
    spec.setClassification(
        PolicyAuditResultSpec.Classification.valueOf(score.classification().name()
            .toUpperCase(Locale.ROOT)));
    spec.setSummary(summary(audit, score));

    List<Findings> all = AuditedCheck.sorted(audit, r -> !r.passed(),
            AuditedCheck.MOST_SEVERE_FIRST).stream()
        .map(row -> finding(row, limits.maxMessageLength()))
        .toList();
    Bounded.Capped<Findings> kept =
        Bounded.cap(all, limits.maxFindings(), limits.maxFindingsBytes());
    spec.setFindings(new ArrayList<>(kept.items()));
    spec.setTruncated(kept.truncated());

    PolicyAuditResult result = new PolicyAuditResult();
    result.setMetadata(new ObjectMetaBuilder()
        .withName(resultName(policyMeta.getName(), time))
        .withNamespace(namespace)
        .addToLabels(POLICY_LABEL, policyLabelValue(policyMeta.getName()))
        .withOwnerReferences(ownerReference(policy))
        .build());
    result.setSpec(spec);
    return result;
  }

  /** {@code <policy>-<yyyyMMdd-HHmmss>} (UTC), the policy part shortened to fit 253 characters. */
  public static String resultName(String policyName, Instant auditTime) {
    String suffix = "-" + NAME_TIME.format(auditTime);
    String prefix = policyName;
    if (prefix.length() + suffix.length() > MAX_NAME_LENGTH) {
      prefix = trimToAlphanumericEnd(prefix.substring(0, MAX_NAME_LENGTH - suffix.length()));
    }
    return prefix + suffix;
  }

  /**
   * The value of {@value #POLICY_LABEL}: the policy's name, or for a name longer than a label
   * value may be (63), its first 52 characters, a dash and 10 hex digits of its SHA-256. Pruning
   * also compares {@code spec.policyRef.name}, so two long names that share a label value never
   * prune each other's results.
   */
  public static String policyLabelValue(String policyName) {
    if (policyName.length() <= MAX_LABEL_VALUE_LENGTH) {
      return policyName;
    }
    String hash = sha256Hex(policyName).substring(0, 10);
    return trimToAlphanumericEnd(policyName.substring(0, MAX_LABEL_VALUE_LENGTH - 11)) + "-"
        + hash;
  }

  private PolicyAuditResult create(PolicyAuditResult desired) {
    String namespace = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    return retry.call("writing PolicyAuditResult " + namespace + "/" + name, () -> {
      try {
        return post(desired);
      } catch (KubernetesClientException e) {
        if (!WriteRetry.alreadyExists(e)) {
          throw e;
        }
        PolicyAuditResult existing = client.resources(PolicyAuditResult.class)
            .inNamespace(namespace).withName(name).get();
        if (existing != null && sameAudit(existing, desired)) {
          return existing; // an earlier attempt of this very write succeeded
        }
        PolicyAuditResult renamed = client.getKubernetesSerialization().clone(desired);
        renamed.getMetadata().setName(null);
        renamed.getMetadata().setGenerateName(name + "-");
        return post(renamed);
      }
    });
  }

  /**
   * Creates {@code result} under {@value #FIELD_MANAGER}: fabric8's {@code create()} has no
   * field manager (its {@code fieldManager(...)} serves server-side apply only), so this is the
   * same POST with {@code ?fieldManager=}. Errors are fabric8's, with the server's Status.
   */
  private PolicyAuditResult post(PolicyAuditResult result) {
    String path = "/apis/" + RESULTS.getGroup() + "/" + RESULTS.getVersion() + "/namespaces/"
        + result.getMetadata().getNamespace() + "/" + RESULTS.getPlural()
        + "?fieldManager=" + FIELD_MANAGER;
    String created = client.raw(path, "POST", result);
    return client.getKubernetesSerialization().unmarshal(created, PolicyAuditResult.class);
  }

  /** Whether {@code existing} is the result of the same audit of the same policy. */
  private static boolean sameAudit(PolicyAuditResult existing, PolicyAuditResult desired) {
    String uid = desired.getMetadata().getOwnerReferences().get(0).getUid();
    boolean sameOwner = existing.getMetadata().getOwnerReferences() != null
        && existing.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> uid.equals(o.getUid()));
    PolicyAuditResultSpec a = existing.getSpec();
    PolicyAuditResultSpec b = desired.getSpec();
    return sameOwner && a != null && a.getAuditTime() != null
        && a.getAuditTime().toInstant().equals(b.getAuditTime().toInstant())
        && Objects.equals(a.getCluster(), b.getCluster());
  }

  /** Deletes the policy's results beyond the newest {@code history}, never {@code keep}. */
  private List<String> prune(DevOpsPolicy policy, String keep) {
    String namespace = policy.getMetadata().getNamespace();
    String policyName = policy.getMetadata().getName();
    String what = "pruning the PolicyAuditResults of DevOpsPolicy " + namespace + "/" + policyName;
    List<Stored> others = new ArrayList<>();
    ListOptions labelled = new ListOptionsBuilder()
        .withLabelSelector(POLICY_LABEL + "=" + policyLabelValue(policyName)).build();
    ListPages.<GenericKubernetesResource>forEach(labelled, LIST_PAGE,
        options -> retry.call(what, () ->
            client.genericKubernetesResources(RESULTS).inNamespace(namespace).list(options)),
        item -> {
          Stored stored = Stored.of(item);
          if (policyName.equals(stored.policy()) && !keep.equals(stored.name())) {
            others.add(stored);
          }
        });

    others.sort(Stored.NEWEST_FIRST);
    List<String> pruned = new ArrayList<>();
    for (Stored old : others.subList(Math.min(others.size(), limits.history() - 1),
        others.size())) {
      retry.call("deleting PolicyAuditResult " + namespace + "/" + old.name(), () ->
          client.genericKubernetesResources(RESULTS).inNamespace(namespace)
              .withName(old.name()).delete());
      pruned.add(old.name());
    }
    return pruned;
  }

  /** What pruning reads of a stored result. */
  private record Stored(String name, String policy, Instant auditTime, Instant created) {
    static final Comparator<Stored> NEWEST_FIRST =
        Comparator.comparing(Stored::auditTime, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Stored::created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Stored::name)
            .reversed();

    static Stored of(GenericKubernetesResource item) {
      Map<String, Object> spec = KubeObject.mapAt(item.getAdditionalProperties(), "spec");
      String policy = KubeObject.stringAt(KubeObject.mapAt(spec, "policyRef"), "name");
      return new Stored(item.getMetadata().getName(), policy,
          instant(KubeObject.stringAt(spec, "auditTime")),
          instant(item.getMetadata().getCreationTimestamp()));
    }

    /** An RFC 3339 time, or null (sorted oldest) when absent or unreadable. */
    private static Instant instant(String text) {
      if (text == null) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  private static Summary summary(AuditResult audit, Score score) {
    Summary summary = new Summary();
    summary.setWorkloads(audit.workloads());
    summary.setPassed(score.passed());
    summary.setFailed(score.failed());
    BySeverity bySeverity = new BySeverity();
    bySeverity.setCritical(score.failed(Severity.CRITICAL));
    bySeverity.setHigh(score.failed(Severity.HIGH));
    bySeverity.setMedium(score.failed(Severity.MEDIUM));
    bySeverity.setLow(score.failed(Severity.LOW));
    summary.setBySeverity(bySeverity);
    return summary;
  }

  private static Findings finding(AuditedCheck row, int maxMessageLength) {
    KubeObject object = row.object();
    CheckResult result = row.result();
    Findings finding = new Findings();
    finding.setKind(object.kind() == null ? "" : object.kind());
    finding.setNamespace(object.namespace());
    finding.setName(object.name());
    finding.setContainer(result.container());
    finding.setCheck(result.check());
    finding.setSeverity(severity(result.severity()));
    finding.setMessage(Bounded.truncate(result.message(), maxMessageLength));
    return finding;
  }

  static Findings.Severity severity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> Findings.Severity.CRITICAL;
      case HIGH -> Findings.Severity.HIGH;
      case MEDIUM -> Findings.Severity.MEDIUM;
      case LOW -> Findings.Severity.LOW;
    };
  }

  private static OwnerReference ownerReference(DevOpsPolicy policy) {
    return new OwnerReferenceBuilder()
        .withApiVersion(policy.getApiVersion() == null ? "devops.stochastic.io/v1"
            : policy.getApiVersion())
        .withKind("DevOpsPolicy")
        .withName(policy.getMetadata().getName())
        .withUid(policy.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  private static ObjectMeta requireIdentity(DevOpsPolicy policy) {
    ObjectMeta meta = policy.getMetadata();
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      throw new IllegalArgumentException("the DevOpsPolicy has no name");
    }
    String id = "DevOpsPolicy " + meta.getNamespace() + "/" + meta.getName();
    if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
      throw new IllegalArgumentException(id + " has no namespace");
    }
    if (meta.getUid() == null || meta.getUid().isEmpty()) {
      throw new IllegalArgumentException(
          id + " has no uid: its results need one to be owned by it; read it from the cluster");
    }
    return meta;
  }

  private static String trimToAlphanumericEnd(String text) {
    int end = text.length();
    while (end > 0 && !Character.isLetterOrDigit(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
