package io.stochastic.devops.engine.check;

import io.stochastic.devops.engine.KubernetesVersion;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.workload.ContainerRef;
import io.stochastic.devops.engine.workload.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;

/**
 * Evaluates compiled checks at one instant, cross-object checks reading {@link RelatedObjects}: binds the CEL
 * variables for each target (container, pod, workload, object), runs the check, and renders the
 * message of each failure. The variables of an object and of each of its containers are bound
 * once ({@link #subject}) and shared by every check judging it: this is the per-workload hot
 * loop. Not thread-safe; one per audit pass.
 */
public final class CheckEvaluation {
  private final RelatedObjects context;
  private final Instant now;
  private final boolean direct;
  /** {@code kubernetesVersion}, shared by every subject. */
  private final Map<String, Object> kubernetesVersion;
  private final Map<String, RelatedLookup> relatedByNamespace = new HashMap<>();
  /** What the message being rendered may refer to; set just before each rendering. */
  private Bindings renderBindings;
  private Object renderValue;
  /**
   * Values are the manifest's text, inserted as they are: an image {@code ${image}} (an envsubst
   * or Kustomize placeholder) is not a variable to expand again (which looped, and failed the
   * audit).
   */
  private final StringSubstitutor substitutor = new StringSubstitutor(this::lookup)
      .setDisableSubstitutionInValues(true);

  /**
   * @param direct whether to use the direct CEL evaluator where a check has one
   * @param kubernetesVersion the version the objects are judged for
   */
  public CheckEvaluation(RelatedObjects context, Instant now, boolean direct,
      KubernetesVersion kubernetesVersion) {
    this.context = context;
    this.now = now;
    this.direct = direct;
    this.kubernetesVersion = kubernetesVersion.asMap();
  }

  /** For {@link KubernetesVersion#DEFAULT}. */
  public CheckEvaluation(RelatedObjects context, Instant now, boolean direct) {
    this(context, now, direct, KubernetesVersion.DEFAULT);
  }

  /**
   * The object ready to be judged by any number of checks.
   *
   * @param workload the object's workload view, or null for a non-workload object
   */
  public Subject subject(KubeObject object, Workload workload) {
    return new Subject(object, workload);
  }

  /** One object with its variables bound, for every check that judges it. */
  public final class Subject {
    private final Workload workload;
    private final Bindings object;
    private final List<ContainerRef> containers;
    private final List<Bindings> containerBindings;
    private final RelatedLookup related;

    private Subject(KubeObject object, Workload workload) {
      this.workload = workload;
      this.object = new Bindings();
      this.object.object = object.content();
      this.object.kind = object.kind();
      this.object.name = object.name();
      this.object.namespace = object.namespace() == null ? "" : object.namespace();
      this.object.now = now;
      this.object.kubernetesVersion = kubernetesVersion;
      if (workload != null) {
        this.object.podMetadata = workload.podMetadata();
        this.object.podSpec = workload.podSpec();
        this.object.podStatus = workload.podStatus();
        this.containers = workload.containers();
      } else {
        this.containers = List.of();
      }
      this.containerBindings = new ArrayList<>(containers.size());
      for (ContainerRef container : containers) {
        Bindings bindings = this.object.copy();
        bindings.container = container.spec();
        bindings.containerType = container.type().id();
        bindings.containerStatus = container.status();
        containerBindings.add(bindings);
      }
      this.related = relatedFor(object.namespace());
    }

    /**
     * Evaluates one check and adds its results: none when its {@code when} says it does not
     * apply, one per container for container checks, one otherwise.
     */
    public void evaluate(CompiledCheck check, Severity severity, Map<String, Object> params,
        boolean remediable, List<CheckResult> into) {
      forEachTarget(check, params, (bindings, container, pointer) ->
          record(check, severity, remediable, bindings, container, pointer, into));
    }

    /** What a check judges here: each container of its types, the pod, or the object. */
    void forEachTarget(CompiledCheck check, Map<String, Object> params, TargetAction action) {
      CheckDefinition definition = check.definition();
      if (definition.target() == Target.CONTAINER) {
        for (int i = 0; i < containers.size(); i++) {
          ContainerRef container = containers.get(i);
          if (definition.containerTypes().contains(container.type())) {
            Bindings bindings = containerBindings.get(i);
            bindings.params = params;
            action.accept(bindings, container.name(), container.pointer());
          }
        }
      } else if (definition.target() != Target.POD || workload != null) {
        object.params = params;
        String pointer = definition.target() == Target.POD ? workload.podPointer() : "";
        action.accept(object, null, pointer);
      }
    }

    RelatedLookup related() {
      return related;
    }

    private void record(CompiledCheck check, Severity severity, boolean remediable,
        Bindings bindings, String container, String pointer, List<CheckResult> into) {
      CompiledCheck.Outcome outcome = check.evaluate(bindings, related, direct);
      CheckDefinition d = check.definition();
      switch (outcome.verdict()) {
        case NOT_APPLICABLE -> { }
        case PASS -> into.add(new CheckResult(d.id(), severity, d.category(), true, container,
            d.description(), remediable, false, pointer));
        case FAIL -> into.add(new CheckResult(d.id(), severity, d.category(), false, container,
            render(d.message(), bindings, outcome.value()), remediable, false, pointer));
        case ERROR -> into.add(new CheckResult(d.id(), severity, d.category(), false, container,
            "check could not be evaluated: " + EvaluationErrors.describe(outcome.error()), false, true, pointer));
      }
    }
  }

  /** One target of a check on a subject: its variables, container name and JSON pointer. */
  @FunctionalInterface
  interface TargetAction {
    void accept(Bindings bindings, String container, String pointer);
  }

  private RelatedLookup relatedFor(String namespace) {
    String key = namespace == null ? "" : namespace;
    return relatedByNamespace.computeIfAbsent(key,
        ns -> new RelatedLookup(kind -> context.related(namespace, kind)));
  }

  private String render(String template, Bindings bindings, Object value) {
    renderBindings = bindings;
    renderValue = value;
    MessageTemplate parsed = MessageTemplate.of(template);
    return parsed != null ? parsed.render(this::lookup) : substitutor.replace(template);
  }

  private String lookup(String key) {
    Bindings b = renderBindings;
    return switch (key) {
      case "kind" -> b.kind;
      case "name" -> b.name;
      case "namespace" -> b.namespace;
      case "container" -> KubeObject.stringAt(b.container, "name");
      case "image" -> KubeObject.stringAt(b.container, "image");
      case "containerType" -> b.containerType;
      case "value" -> renderValue == null ? null : renderValue.toString();
      default -> key.startsWith("params.") && b.params.containsKey(key.substring(7))
          ? String.valueOf(b.params.get(key.substring(7))) : null;
    };
  }
}
