package io.stochastic.devops.cli;

import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.policy.BundleRepository;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --bundle} and {@code --policy} for the cluster audits: each namespace under its own
 * DevOpsPolicy and the bundle elsewhere, or one policy file for every namespace.
 */
final class PolicyOptions {
  @Option(names = "--bundle", paramLabel = "NAME",
      description = "Bundle for namespaces without a DevOpsPolicy: baseline, restricted, "
          + "permissive, pss-baseline or pss-restricted (default: baseline).")
  String bundle;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "A DevOpsPolicy file applied to every namespace instead of the cluster's "
          + "policies.")
  Path policyFile;

  void validate() {
    if (policyFile != null && bundle != null) {
      throw new UserException("--policy cannot be combined with --bundle");
    }
    AuditCommand.requireFile(policyFile, "--policy");
  }

  /** The bundle of namespaces without a policy. */
  EffectivePolicy fallback(Application application) {
    return bundle(application, bundle);
  }

  /** The built-in bundle {@code name} (null: the default), as {@code --bundle} names it. */
  static EffectivePolicy bundle(Application application, String name) {
    name = name == null ? BundleRepository.DEFAULT_BUNDLE : name;
    try {
      return application.policyResolver().bundle(name);
    } catch (EngineException e) {
      throw new UserException("--bundle: " + e.getMessage());
    }
  }

  /** The one DevOpsPolicy of {@code file}, linted first ({@code command} names who asks). */
  static KubeObject readPolicyFile(Application application, Path file, String command,
      PrintWriter err) {
    PolicyInput input = PolicyInput.read(application, List.of(file.toString()));
    input.requireValid(command, err);
    List<KubeObject> found = input.batch().objects().stream()
        .filter(o -> PolicyDocuments.isPolicy(o.content())).toList();
    if (found.size() != 1) {
      throw new UserException(file + ": expected one DevOpsPolicy, found " + found.size());
    }
    return found.get(0);
  }

  /** The policy of {@code --policy}, linted first; null without it. */
  EffectivePolicy fixedPolicy(Application application, PrintWriter err) {
    if (policyFile == null) {
      return null;
    }
    KubeObject policy = readPolicyFile(application, policyFile, "audit", err);
    return application.policyResolver().resolve(
        PolicyDocuments.fromTree(policy.source(), policy.content()), policy.source());
  }
}
