package io.stochastic.devops.engine.workload;

import io.stochastic.devops.engine.input.KubeObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kinds judged as workloads, and where each keeps its pod: the built-in {@link WorkloadKind}s
 * plus the custom kinds a policy or the command line declares ({@link DeclaredWorkloadKind}).
 * A lookup is two hash lookups (kind, then group), allocating nothing: it runs once per object.
 * A built-in kind in one of its groups is never redefined; a declaration without a group matches
 * the kind in any other group.
 */
public final class WorkloadKinds {
  /** Group key of a declaration that matches any group. */
  private static final String ANY_GROUP = "*";

  /** Pod template paths probed on objects of kinds nobody declared. */
  private static final List<List<String>> TEMPLATE_SHAPES = List.of(
      List.of("spec", "template"), List.of("spec", "jobTemplate", "spec", "template"));

  public static final WorkloadKinds BUILT_IN = new WorkloadKinds(List.of());

  private final List<DeclaredWorkloadKind> declared;
  /** kind → group → JSON pointer of the pod (template). */
  private final Map<String, Map<String, String>> pointers;

  private WorkloadKinds(List<DeclaredWorkloadKind> declared) {
    this.declared = List.copyOf(declared);
    Map<String, Map<String, String>> map = new HashMap<>();
    for (DeclaredWorkloadKind d : this.declared) {
      map.computeIfAbsent(d.kind(), k -> new HashMap<>())
          .put(d.group().isEmpty() ? ANY_GROUP : d.group(), d.podPointer());
    }
    for (WorkloadKind k : WorkloadKind.values()) {
      Map<String, String> groups = map.computeIfAbsent(k.kind(), x -> new HashMap<>());
      for (String group : k.groups()) {
        groups.put(group, k.podPointer());
      }
    }
    this.pointers = map;
  }

  /** The built-in kinds plus {@code kinds}; later declarations of a kind and group win. */
  public static WorkloadKinds of(Collection<DeclaredWorkloadKind> kinds) {
    return kinds.isEmpty() ? BUILT_IN : new WorkloadKinds(dedupe(kinds));
  }

  /** These kinds plus {@code more}; a declaration of the same kind and group replaces this one. */
  public WorkloadKinds with(Collection<DeclaredWorkloadKind> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<DeclaredWorkloadKind> all = new ArrayList<>(declared);
    all.addAll(more);
    return new WorkloadKinds(dedupe(all));
  }

  private static List<DeclaredWorkloadKind> dedupe(Collection<DeclaredWorkloadKind> kinds) {
    Map<String, DeclaredWorkloadKind> byName = new LinkedHashMap<>();
    kinds.forEach(k -> byName.put(k.name(), k));
    return new ArrayList<>(byName.values());
  }

  /** The declared (not built-in) kinds. */
  public List<DeclaredWorkloadKind> declared() {
    return declared;
  }

  /**
   * JSON pointer of the pod (template) in objects of this group and kind ({@code ""} for a Pod),
   * or null when the kind is not a workload kind.
   */
  public String podPointer(String group, String kind) {
    Map<String, String> groups = kind == null ? null : pointers.get(kind);
    if (groups == null) {
      return null;
    }
    String pointer = groups.get(group == null ? "" : group);
    return pointer != null ? pointer : groups.get(ANY_GROUP);
  }

  public boolean isWorkload(KubeObject object) {
    return podPointer(object.group(), object.kind()) != null;
  }

  /** Every kind name judged as a workload, built-in and declared, sorted. */
  public Set<String> kindNames() {
    return Collections.unmodifiableSet(new TreeSet<>(pointers.keySet()));
  }

  /**
   * The dotted path of a pod template in an object of a kind that is not a workload kind
   * ({@code spec.template} when it holds {@code spec.containers}), or null when it has none:
   * a custom workload kind nobody declared.
   */
  public static String undeclaredTemplatePath(KubeObject object) {
    for (List<String> shape : TEMPLATE_SHAPES) {
      Map<String, Object> at = object.content();
      for (String field : shape) {
        at = KubeObject.mapAt(at, field);
      }
      if (KubeObject.mapAt(at, "spec").get("containers") instanceof List<?>) {
        return String.join(".", shape);
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WorkloadKinds k && k.declared.equals(declared);
  }

  @Override
  public int hashCode() {
    return declared.hashCode();
  }

  @Override
  public String toString() {
    return "WorkloadKinds" + declared;
  }
}
