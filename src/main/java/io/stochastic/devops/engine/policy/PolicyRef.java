package io.stochastic.devops.engine.policy;

/**
 * One DevOpsPolicy as results refer to it: where it is, which object (uid, for owner
 * references) and which generation of its spec was applied. A policy read from a file has no
 * uid (empty) and generation 0.
 */
public record PolicyRef(String namespace, String name, String uid, long generation) {
  public PolicyRef {
    uid = uid == null ? "" : uid;
  }

  /** {@code namespace/name}, as messages name it. */
  public String displayName() {
    return namespace + "/" + name;
  }
}
