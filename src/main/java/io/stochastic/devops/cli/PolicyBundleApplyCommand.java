package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.LivePolicies;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy bundle-apply NAME -n NS}: a bundle as a namespace's policy. */
@Command(name = "bundle-apply", description = {"Apply a built-in bundle as the DevOpsPolicy of "
    + "a namespace (named after the bundle unless --name), with server-side apply, field "
    + "manager kube-devops-sync. A namespace has one policy: when it already has one under "
    + "another name, nothing is applied (use --name to give that one the bundle's settings).",
    ""},
    footer = {"", "Exit codes: 0 applied (or nothing to change); 2 usage error, the namespace "
        + "has another policy, or the cluster could not be reached or refused the policy.",
        "", "Examples:",
        "  kube-devops policy bundle-apply baseline -n shop --dry-run",
        "  kube-devops policy bundle-apply restricted -n payments --name payments"})
final class PolicyBundleApplyCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "baseline, restricted, permissive, pss-baseline or pss-restricted.")
  String bundle;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "The namespace (default: the context's).")
  String namespace;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Name of the DevOpsPolicy (default: the bundle's name).")
  String name;

  @Mixin
  ApplyOptions apply;

  PolicyBundleApplyCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    String text;
    try {
      text = application.bundles().yaml(bundle);
    } catch (EngineException e) {
      throw new UserException(e.getMessage() + " (see 'kube-devops policy bundle-list')", e);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
    String policyName = name != null ? name : bundle;
    PrintWriter out = spec.commandLine().getOut();
    PolicyImporter.Report report;
    try (ClusterSession session = cluster.open(application)) {
      String ns = namespace != null ? namespace : session.defaultNamespace();
      requireNoOtherPolicy(session, ns, policyName);
      DesiredPolicy policy = DesiredPolicy.of("bundle " + bundle, ns, policyName, tree);
      report = new PolicyImporter(session, ObjectYaml.policies(application.policySchema()))
          .apply(List.of(policy), apply.dryRun, apply.forceConflicts);
    }
    if (!report.failures().isEmpty()) {
      throw new UserException(report.failures().get(0).message());
    }
    ApplyOutput.print(report.results(), out);
    out.flush();
    return ExitCode.OK;
  }

  private static void requireNoOtherPolicy(ClusterSession session, String ns, String name) {
    for (GenericKubernetesResource other : new LivePolicies(session).list(ns)) {
      String otherName = other.getMetadata().getName();
      if (!otherName.equals(name)) {
        throw new UserException("namespace " + ns + " already has DevOpsPolicy " + otherName
            + " and a namespace has one policy: use --name " + otherName + " to give it the "
            + "bundle's settings");
      }
    }
  }
}
