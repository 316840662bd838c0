package io.stochastic.devops.kube;

import java.util.Locale;

/** What applying an object did, or would do on a dry run (kubectl's words). */
public enum ApplyAction {
  CREATED,
  CONFIGURED,
  UNCHANGED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
