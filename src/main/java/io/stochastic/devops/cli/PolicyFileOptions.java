package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The policy files {@code policy import} and {@code policy diff} take, and the namespace of
 * those that name none; the files are linted before anything talks to a cluster.
 */
final class PolicyFileOptions {
  @Parameters(paramLabel = "FILE|DIR|-", arity = "1..*",
      description = "Policy files or directories, or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Namespace of policies that name none (default: the context's).")
  String namespace;

  /** The files, read and linted: errors stop {@code verb} here (exit 2). */
  PolicyInput readValid(Application application, String verb, PrintWriter err) {
    PolicyInput input = PolicyInput.read(application, paths);
    input.requireValid(verb, err);
    return input;
  }

  List<DesiredPolicy> desired(PolicyInput input, ClusterSession session) {
    return input.desiredPolicies(namespace, session);
  }
}
