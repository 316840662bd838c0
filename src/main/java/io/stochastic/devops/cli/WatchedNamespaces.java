package io.stochastic.devops.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code -n NS...} or {@code -A}, for the long-running components that watch namespaces
 * ({@code reconcile}, {@code watch}): several namespaces may be named, and none means all.
 */
final class WatchedNamespaces {
  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", split = ",",
      description = "Watch only these namespaces (repeatable or comma-separated; default: "
          + "every namespace).")
  List<String> namespaces = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"},
      description = "Watch every namespace (the default).")
  boolean allNamespaces;

  /** The namespaces named, empty for all; refuses both flags at once. */
  Set<String> resolve() {
    if (allNamespaces && !namespaces.isEmpty()) {
      throw new UserException("--namespace and --all-namespaces cannot be combined");
    }
    return new LinkedHashSet<>(namespaces);
  }
}
