package io.stochastic.devops.cli;

import io.stochastic.devops.engine.EngineSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --system-namespace}: namespaces never audited, for every command that audits. */
final class SystemNamespaceOptions {
  @Option(names = "--system-namespace", paramLabel = "NS",
      description = "Another namespace never audited, besides kube-system, kube-public, "
          + "kube-node-lease and cert-manager (repeatable).")
  List<String> systemNamespaces = new ArrayList<>();

  /** The engine's settings with these namespaces added to the built-in ones. */
  EngineSettings engineSettings() {
    return EngineSettings.withExtraSystemNamespaces(new HashSet<>(systemNamespaces));
  }
}
