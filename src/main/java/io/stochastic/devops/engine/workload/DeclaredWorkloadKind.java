package io.stochastic.devops.engine.workload;

import java.util.regex.Pattern;

/**
 * A custom workload kind a policy ({@code spec.workloadKinds}) or the command line
 * ({@code --workload-kind}) declares: objects of this kind are judged like a Deployment, their
 * pod template read at {@code podTemplatePath}.
 *
 * @param group the API group ({@code argoproj.io}); null or empty matches the kind in any group
 * @param kind the kind ({@code Rollout})
 * @param podTemplatePath dotted path of the pod template, whose {@code metadata} and {@code spec}
 *     are a pod's ({@code spec.template})
 */
public record DeclaredWorkloadKind(String group, String kind, String podTemplatePath) {
  public static final String DEFAULT_PATH = "spec.template";

  private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern GROUP = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  /** @throws IllegalArgumentException naming what is wrong */
  public DeclaredWorkloadKind {
    group = group == null ? "" : group;
    podTemplatePath = podTemplatePath == null || podTemplatePath.isEmpty()
        ? DEFAULT_PATH : podTemplatePath;
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("kind '" + kind
          + "' is not a kind (an upper-case letter, then letters and digits: Rollout)");
    }
    if (!group.isEmpty() && !GROUP.matcher(group).matches()) {
      throw new IllegalArgumentException("group '" + group
          + "' is not an API group (lower-case DNS name: argoproj.io)");
    }
    if (!PATH.matcher(podTemplatePath).matches()) {
      throw new IllegalArgumentException("pod template path '" + podTemplatePath
          + "' is not a dotted field path (spec.template)");
    }
  }

  /**
   * Parses the command line's {@code KIND[.GROUP][=PATH]}: {@code Rollout.argoproj.io=spec.template},
   * {@code Service.serving.knative.dev}, {@code CloneSet=spec.template}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static DeclaredWorkloadKind parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected KIND[.GROUP][=PATH], as in "
          + "Rollout.argoproj.io=spec.template");
    }
    int equals = text.indexOf('=');
    String name = equals < 0 ? text : text.substring(0, equals);
    String path = equals < 0 ? DEFAULT_PATH : text.substring(equals + 1);
    if (equals >= 0 && path.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "': no path after '=' (expected "
          + "KIND[.GROUP][=PATH], as in Rollout.argoproj.io=spec.template)");
    }
    int dot = name.indexOf('.');
    String kind = dot < 0 ? name : name.substring(0, dot);
    String group = dot < 0 ? "" : name.substring(dot + 1);
    try {
      return new DeclaredWorkloadKind(group, kind, path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage()
          + "; expected KIND[.GROUP][=PATH], as in Rollout.argoproj.io=spec.template");
    }
  }

  /** JSON pointer of the pod template ({@code /spec/template}). */
  public String podPointer() {
    return "/" + podTemplatePath.replace('.', '/');
  }

  /** {@code Rollout.argoproj.io}, as {@code --workload-kind} takes it. */
  public String name() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  @Override
  public String toString() {
    return name() + "=" + podTemplatePath;
  }
}
