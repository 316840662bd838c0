package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelFunctionResolver;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.engine.workload.ContainerRef;
import io.stochastic.devops.engine.workload.Workload;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * Evaluates compiled checks on the objects of one {@link ObjectSet} at one instant: binds the CEL
 * variables for each target (container, pod, workload, object), runs the check, and renders the
 * message of each failure. Not thread-safe; one per audit pass.
 */
public final class CheckEvaluation {
  private final ObjectSet context;
  private final Instant now;
  private final Map<String, CelFunctionResolver> relatedByNamespace = new HashMap<>();

  public CheckEvaluation(ObjectSet context, Instant now) {
    this.context = context;
    this.now = now;
  }

  /**
   * Evaluates one check on one object and adds its results (none when the check's {@code when}
   * says it does not apply, one per container for container checks).
   *
   * @param workload the object's workload view, or null for a non-workload object
   */
  public void evaluate(CompiledCheck check, Severity severity, Map<String, Object> params,
      boolean remediable, KubeObject object, Workload workload, List<CheckResult> into) {
    Bindings base = new Bindings();
    base.object = object.content();
    base.kind = object.kind();
    base.name = object.name();
    base.namespace = object.namespace() == null ? "" : object.namespace();
    base.params = params;
    base.now = now;
    if (workload != null) {
      base.podMetadata = workload.podMetadata();
      base.podSpec = workload.podSpec();
      base.podStatus = workload.podStatus();
    }
    CelFunctionResolver related = relatedFor(object.namespace());
    CheckDefinition definition = check.definition();
    if (definition.target() == Target.CONTAINER) {
      if (workload == null) {
        return;
      }
      for (ContainerRef container : workload.containers()) {
        if (!definition.containerTypes().contains(container.type())) {
          continue;
        }
        Bindings bindings = base.copy();
        bindings.container = container.spec();
        bindings.containerType = container.type().id();
        bindings.containerStatus = container.status();
        record(check, severity, remediable, bindings, related, container.name(),
            container.pointer(), into);
      }
    } else {
      String pointer = definition.target() == Target.POD ? workload.podPointer() : "";
      record(check, severity, remediable, base, related, null, pointer, into);
    }
  }

  private void record(CompiledCheck check, Severity severity, boolean remediable,
      Bindings bindings, CelFunctionResolver related, String container, String pointer,
      List<CheckResult> into) {
    CompiledCheck.Outcome outcome = check.evaluate(bindings, related);
    CheckDefinition d = check.definition();
    switch (outcome.verdict()) {
      case NOT_APPLICABLE -> { }
      case PASS -> into.add(new CheckResult(d.id(), severity, d.category(), true, container,
          d.description(), remediable, false, pointer));
      case FAIL -> into.add(new CheckResult(d.id(), severity, d.category(), false, container,
          render(d.message(), bindings, outcome.value()), remediable, false, pointer));
      case ERROR -> into.add(new CheckResult(d.id(), severity, d.category(), false, container,
          "check could not be evaluated: " + outcome.error(), false, true, pointer));
    }
  }

  private CelFunctionResolver relatedFor(String namespace) {
    String key = namespace == null ? "" : namespace;
    return relatedByNamespace.computeIfAbsent(key,
        ns -> CelEnvironment.relatedFunction(kind -> context.related(namespace, kind)));
  }

  private static String render(String template, Bindings bindings, Object value) {
    StringLookup lookup = key -> switch (key) {
      case "kind" -> bindings.kind;
      case "name" -> bindings.name;
      case "namespace" -> bindings.namespace;
      case "container" -> KubeObject.stringAt(bindings.container, "name");
      case "image" -> KubeObject.stringAt(bindings.container, "image");
      case "containerType" -> bindings.containerType;
      case "value" -> value == null ? null : value.toString();
      default -> key.startsWith("params.") && bindings.params.containsKey(key.substring(7))
          ? String.valueOf(bindings.params.get(key.substring(7))) : null;
    };
    return new StringSubstitutor(lookup).replace(template);
  }
}
