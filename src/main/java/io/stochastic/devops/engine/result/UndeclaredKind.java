package io.stochastic.devops.engine.result;

/**
 * A kind whose objects carry a pod template but that no policy or {@code --workload-kind}
 * declares: its objects were skipped, though every container check could judge them.
 *
 * @param kind the kind ({@code Rollout})
 * @param group its API group ({@code argoproj.io}; empty for the core group)
 * @param podTemplatePath where the pod template was found ({@code spec.template})
 * @param objects how many objects of the kind were skipped
 */
public record UndeclaredKind(String kind, String group, String podTemplatePath, int objects) {
  /** {@code Rollout.argoproj.io}. */
  public String name() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  /** {@code Rollout.argoproj.io=spec.template}: what {@code --workload-kind} takes. */
  public String declaration() {
    return name() + "=" + podTemplatePath;
  }

  UndeclaredKind plus(int more) {
    return new UndeclaredKind(kind, group, podTemplatePath, objects + more);
  }
}
