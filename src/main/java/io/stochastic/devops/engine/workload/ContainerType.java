package io.stochastic.devops.engine.workload;

/** The three container lists of a pod spec, with the status list that reports on each. */
public enum ContainerType {
  CONTAINER("containers", "containerStatuses", "container"),
  INIT_CONTAINER("initContainers", "initContainerStatuses", "initContainer"),
  EPHEMERAL_CONTAINER("ephemeralContainers", "ephemeralContainerStatuses", "ephemeralContainer");

  private final String specField;
  private final String statusField;
  private final String id;

  ContainerType(String specField, String statusField, String id) {
    this.specField = specField;
    this.statusField = statusField;
    this.id = id;
  }

  public String specField() {
    return specField;
  }

  public String statusField() {
    return statusField;
  }

  /** The name check files and CEL use: container, initContainer, ephemeralContainer. */
  public String id() {
    return id;
  }

  public static ContainerType parse(String id) {
    for (ContainerType t : values()) {
      if (t.id.equals(id) || t.specField.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown container type '" + id
        + "' (expected container, initContainer or ephemeralContainer)");
  }
}
