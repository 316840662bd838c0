package io.stochastic.devops.engine.workload;

import io.stochastic.devops.engine.input.KubeObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workload view of an object: its pod template (metadata and spec), the pod's status when the
 * object is a live Pod, and every container, whatever the kind and apiVersion.
 */
public final class Workload {
  private final KubeObject object;
  private final String podPointer;
  private final Map<String, Object> podMetadata;
  private final Map<String, Object> podSpec;
  private final Map<String, Object> podStatus;
  private final List<ContainerRef> containers;

  private Workload(KubeObject object, String podPointer) {
    this.object = object;
    this.podPointer = podPointer;
    Map<String, Object> pod = at(object.content(), podPointer);
    this.podMetadata = KubeObject.mapAt(pod, "metadata");
    this.podSpec = KubeObject.mapAt(pod, "spec");
    this.podStatus = podPointer.isEmpty()
        ? KubeObject.mapAt(object.content(), "status")
        : Collections.emptyMap();
    this.containers = containersOf(podPointer + "/spec", podSpec, podStatus);
  }

  /**
   * The workload view of {@code object} when its kind is a built-in workload kind, or empty when
   * it carries no pod template.
   */
  public static Optional<Workload> of(KubeObject object) {
    return of(object, WorkloadKinds.BUILT_IN);
  }

  /**
   * The workload view of {@code object} when {@code kinds} knows its kind (built in or
   * declared), or empty.
   */
  public static Optional<Workload> of(KubeObject object, WorkloadKinds kinds) {
    String pointer = kinds.podPointer(object.group(), object.kind());
    return pointer == null ? Optional.empty() : Optional.of(new Workload(object, pointer));
  }

  public KubeObject object() {
    return object;
  }

  /** JSON pointer of the pod (template) inside the object; empty for a Pod. */
  public String podPointer() {
    return podPointer;
  }

  public Map<String, Object> podMetadata() {
    return podMetadata;
  }

  public Map<String, Object> podSpec() {
    return podSpec;
  }

  /** The pod's status for a Pod read with its status; empty otherwise. */
  public Map<String, Object> podStatus() {
    return podStatus;
  }

  public List<ContainerRef> containers() {
    return containers;
  }

  @SuppressWarnings("unchecked")
  private static List<ContainerRef> containersOf(String podSpecPointer, Map<String, Object> spec,
      Map<String, Object> status) {
    List<ContainerRef> refs = new ArrayList<>();
    for (ContainerType type : ContainerType.values()) {
      if (!(spec.get(type.specField()) instanceof List<?> list)) {
        continue;
      }
      List<?> statuses = status.get(type.statusField()) instanceof List<?> s ? s : List.of();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map)) {
          continue;
        }
        Map<String, Object> container = (Map<String, Object>) list.get(i);
        String name = KubeObject.stringAt(container, "name");
        refs.add(new ContainerRef(type, i, name == null ? "" : name, container,
            statusFor(name, statuses), podSpecPointer + "/" + type.specField() + "/" + i));
      }
    }
    return List.copyOf(refs);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> statusFor(String name, List<?> statuses) {
    for (Object s : statuses) {
      if (s instanceof Map && name != null && name.equals(((Map<String, Object>) s).get("name"))) {
        return (Map<String, Object>) s;
      }
    }
    return Collections.emptyMap();
  }

  private static Map<String, Object> at(Map<String, Object> root, String pointer) {
    Map<String, Object> current = root;
    if (pointer.isEmpty()) {
      return current;
    }
    for (String part : pointer.substring(1).split("/")) {
      current = KubeObject.mapAt(current, part);
    }
    return current;
  }
}
