package io.stochastic.devops.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.Judgement;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.remediation.RemediationPlan;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.result.SubjectResult;
import io.stochastic.devops.kube.ApplyConfiguration;
import io.stochastic.devops.kube.ClusterRequestException;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.kube.KubeAccessException;
import io.stochastic.devops.kube.ManagedFields;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforce mode: adds to the Deployments, StatefulSets and DaemonSets of a namespace the fixes
 * their policy defines — the engine's remediation ({@link Remediator}), the same JSON Patch the
 * mutating webhook returns — with server-side apply as {@code kube-devops-enforcer}.
 *
 * <p>Safety, in order: only workloads of an enforce-mode policy, never in a system namespace;
 * only checks the policy makes remediable (a risky fix only when the policy lists it in {@code
 * spec.remediation.allowRiskyFixes}); the live object is read and judged again, so a stale
 * cache never decides a patch; a field another manager owns is left alone (the apply is never
 * forced), and so is anything a fix would remove (server-side apply cannot remove a person's
 * field; the webhook removes it at admission); a server dry run must accept the patch before it
 * is made. One apply per workload per reconcile, and none when nothing is left to add, so a
 * second cycle changes nothing.
 *
 * <p>Server-side apply removes a field its manager owned and no longer sends, so each apply
 * carries again every field the enforcer set before (read from {@code managedFields}): fixing a
 * second check never undoes the first.
 */
public final class WorkloadEnforcer {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadEnforcer.class);
  private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");
  private static final String APPS = "apps";
  /** How many settled workload versions are remembered before the memory is cleared. */
  private static final int SETTLED_LIMIT = 10_000;

  /** What happened to one workload. */
  public enum Action {
    /** Patched (or, with dry run, would have been). */
    PATCHED,
    /** Some fixes were left to the fields' owners; nothing else to add. */
    LEFT_TO_OWNERS,
    /** The server dry run refused the patch. */
    REJECTED,
    /** The API server failed; the next reconcile tries again. */
    FAILED
  }

  /**
   * @param workload {@code Deployment shop/web}
   * @param checks the checks whose fixes the patch carries, or that were left alone
   * @param detail the API server's refusal, or the fields left to their owners
   */
  public record Enforcement(String workload, Action action, List<String> checks, String detail) {}

  private final ClusterSession cluster;
  private final Engine engine;
  private final Remediator remediator;
  private final boolean dryRun;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  /**
   * Workload versions (uid and resourceVersion, under the policy's uid and generation) judged
   * live that had nothing left to add, or whose patch the dry run refused: the next reconciles
   * skip them without a request until the workload or the policy changes.
   */
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  /**
   * @param dryRun log the patches instead of making them (the server dry run still runs)
   * @param events where Events go; null records none
   */
  public WorkloadEnforcer(ClusterSession cluster, Engine engine, boolean dryRun,
      OperatorMetrics metrics, EventRecorder events, Clock clock) {
    this.cluster = cluster;
    this.engine = engine;
    this.remediator = new Remediator();
    this.dryRun = dryRun;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Enforces {@code effective} on the workloads of {@code result} (one namespace, judged from
   * the caches).
   *
   * @param related the namespace's objects, for the checks that read other objects
   */
  public List<Enforcement> enforce(DevOpsPolicy policy, EffectivePolicy effective,
      AuditResult result, RelatedObjects related) {
    String namespace = policy.getMetadata().getNamespace();
    if (!effective.enforce() || engine.settings().systemNamespaces().contains(namespace)) {
      return List.of();
    }
    List<Enforcement> done = new ArrayList<>();
    for (SubjectResult subject : result.subjects()) {
      KubeObject cached = subject.object();
      if (!KINDS.contains(cached.kind()) || !APPS.equals(cached.group())
          || subject.failures().stream().noneMatch(CheckResult::remediable)
          || settled.contains(version(policy, cached.metadata()))) {
        continue;
      }
      try {
        Enforcement enforcement = enforce(policy, effective, cached, related);
        if (enforcement != null) {
          done.add(enforcement);
        }
      } catch (KubeAccessException e) {
        // Not the reconcile's failure: the status is still written, the next cycle retries.
        metrics.enforcementFailed(namespace, "error");
        LOG.atWarn().addKeyValue("object", cached.displayName())
            .log("enforcement of {} failed, retried next reconcile: {}", cached.displayName(),
                e.getMessage());
        done.add(new Enforcement(cached.displayName(), Action.FAILED, List.of(),
            e.getMessage()));
      }
    }
    return done;
  }

  private Enforcement enforce(DevOpsPolicy policy, EffectivePolicy effective, KubeObject cached,
      RelatedObjects related) {
    String namespace = cached.namespace();
    String display = cached.kind() + " " + namespace + "/" + cached.name();
    var workloads = cluster.client()
        .genericKubernetesResources(cached.apiVersion(), cached.kind()).inNamespace(namespace);
    GenericKubernetesResource live = cluster.request("reading " + display,
        () -> workloads.withName(cached.name()).get());
    if (live == null) {
      return null;
    }
    JsonNode liveTree = Serialization.jsonMapper().valueToTree(live);
    KubeObject object = ObjectTrees.kubeObject(liveTree, display);
    Judgement judgement = engine.judge(object, related, effective);
    List<CheckResult> fixable = judgement.outcome() != Judgement.Outcome.AUDITED ? List.of()
        : judgement.result().failures().stream().filter(CheckResult::remediable).toList();
    RemediationPlan plan = remediator.plan(object, fixable, effective);
    ManagedFields owners = new ManagedFields(liveTree);
    Fields fields = choose(plan, owners);
    String version = version(policy, object.metadata());
    if (fields.set().isEmpty()) {
      remember(version);
      if (fields.leftAlone().isEmpty()) {
        return null;
      }
      String detail = describe(fields.leftAlone());
      LOG.atInfo().addKeyValue("object", display).log("enforcement of {} left to the owners: {}",
          display, detail);
      record(policy, live, EventRecorder.Type.Normal, PolicyEventReason.FixLeftToOwner,
          "left to the owners of the fields: " + detail);
      return new Enforcement(display, Action.LEFT_TO_OWNERS,
          List.copyOf(fields.leftAloneChecks()), detail);
    }

    Set<String> checks = new TreeSet<>(fields.checks());
    String previous = object.annotations().get(Annotations.PATCHED_CHECKS) instanceof String s
        ? s : "";
    Arrays.stream(previous.split(",")).filter(c -> !c.isBlank()).forEach(checks::add);
    Set<String> pointers = new TreeSet<>(fields.set());
    owners.appliedBy(FieldManagers.ENFORCER).stream()
        .filter(p -> !p.startsWith("/metadata/annotations")).forEach(pointers::add);
    ObjectNode body = ApplyConfiguration.of(plan.patched(), pointers);
    ObjectNode annotations = ((ObjectNode) body.get("metadata")).putObject("annotations");
    annotations.put(Annotations.PATCHED_BY, FieldManagers.ENFORCER);
    annotations.put(Annotations.PATCHED_AT,
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    annotations.put(Annotations.PATCHED_CHECKS, String.join(",", checks));
    GenericKubernetesResource apply =
        Serialization.jsonMapper().convertValue(body, GenericKubernetesResource.class);
    Resource<GenericKubernetesResource> resource = workloads.resource(apply);

    try {
      apply(resource, apply, true);
    } catch (ClusterRequestException e) {
      remember(version); // not again until the workload or the policy changes
      metrics.enforcementFailed(namespace, "rejected");
      LOG.atWarn().addKeyValue("object", display)
          .log("enforcement of {} refused by the server dry run: {}", display, e.getMessage());
      record(policy, live, EventRecorder.Type.Warning, PolicyEventReason.EnforcementRejected,
          "the API server refused the fixes of " + String.join(", ", fields.checks())
              + " in a dry run: " + e.getMessage());
      return new Enforcement(display, Action.REJECTED, List.copyOf(fields.checks()),
          e.getMessage());
    }
    String what = String.join(", ", fields.checks());
    if (dryRun) {
      LOG.atInfo().addKeyValue("object", display).log("dry run: would patch {} ({}): {}",
          display, what, body);
    } else {
      apply(resource, apply, false);
      LOG.atInfo().addKeyValue("object", display).log("patched {}: {}", display, what);
      String message = "patched " + display + ": " + what
          + (fields.leftAlone().isEmpty() ? "" : "; left to the owners: "
              + describe(fields.leftAlone()));
      record(policy, live, EventRecorder.Type.Normal, PolicyEventReason.WorkloadPatched,
          message);
    }
    metrics.workloadPatched(namespace);
    return new Enforcement(display, Action.PATCHED, List.copyOf(fields.checks()),
        dryRun ? body.toString() : "");
  }

  private void apply(Resource<GenericKubernetesResource> resource,
      GenericKubernetesResource body, boolean serverDryRun) {
    cluster.request((serverDryRun ? "dry-run applying " : "applying ") + "the fixes of "
        + body.getKind() + " " + body.getMetadata().getNamespace() + "/"
        + body.getMetadata().getName(),
        () -> resource.dryRun(serverDryRun).fieldManager(FieldManagers.ENFORCER)
            .serverSideApply());
  }

  /**
   * The fields of the plan the enforcer may set: what the patch adds or replaces, except fields
   * another manager owns; removals and fields owned by others are left alone.
   *
   * @param set pointers of the fields to apply
   * @param checks the checks with at least one field set
   * @param leftAlone pointer (or a removal's pointer) to why it is left alone
   */
  private record Fields(Set<String> set, Set<String> checks, Map<String, String> leftAlone,
      Set<String> leftAloneChecks) {}

  private static Fields choose(RemediationPlan plan, ManagedFields owners) {
    Set<String> set = new TreeSet<>();
    Set<String> checks = new TreeSet<>();
    Map<String, String> leftAlone = new LinkedHashMap<>();
    Set<String> leftAloneChecks = new TreeSet<>();
    for (int i = 0; i < plan.patch().size(); i++) {
      JsonNode op = plan.patch().get(i);
      String check = plan.operationChecks().get(i);
      String path = op.path("path").asText();
      if ("remove".equals(op.path("op").asText())) {
        leftAlone.put(path, "a removal (" + check + ")");
        leftAloneChecks.add(check);
        continue;
      }
      JsonNode value = op.path("value");
      if (value.isObject() && value.isEmpty()) {
        continue; // a parent the next operations fill: claimed through them, not as a whole
      }
      String owner = owners.otherOwnerOf(path, FieldManagers.ENFORCER);
      if (owner != null) {
        leftAlone.put(path, "owned by " + owner + " (" + check + ")");
        leftAloneChecks.add(check);
        continue;
      }
      set.add(path);
      checks.add(check);
    }
    return new Fields(set, checks, leftAlone, leftAloneChecks);
  }

  private static String describe(Map<String, String> leftAlone) {
    List<String> parts = new ArrayList<>();
    leftAlone.forEach((path, why) -> parts.add(path + " " + why));
    return String.join("; ", parts);
  }

  private void record(DevOpsPolicy policy, GenericKubernetesResource workload,
      EventRecorder.Type type, PolicyEventReason reason, String message) {
    if (events != null) {
      events.record(policy, type, reason, "Enforce", message);
      events.record(workload, type, reason, "Enforce", message);
    }
  }

  private void remember(String version) {
    if (settled.size() >= SETTLED_LIMIT) {
      settled.clear();
    }
    settled.add(version);
  }

  /** A workload's version under a policy's version: a change of either is worth a new look. */
  private static String version(DevOpsPolicy policy, Map<String, Object> workload) {
    return workload.get("uid") + "@" + workload.get("resourceVersion") + "/"
        + policy.getMetadata().getUid() + "@" + policy.getMetadata().getGeneration();
  }
}
