package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.stochastic.devops.deploy.RbacManifests;
import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.policy.PolicyLookup;
import io.stochastic.devops.engine.policy.PolicyRef;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.engine.vap.VapExporter.Action;
import io.stochastic.devops.kube.ClusterPolicies;
import io.stochastic.devops.kube.ClusterSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kube-devops policy export-vap}: a policy's checks as ValidatingAdmissionPolicies the
 * API server enforces itself (docs/vap.md).
 */
@Command(name = "export-vap",
    description = {"Print a policy as Kubernetes ValidatingAdmissionPolicies and their "
        + "bindings: one policy per check whose CEL the API server can run, for Pods and every "
        + "workload kind it applies to (or the object kinds it judges), with the policy's "
        + "parameters, exemptions (and the exemption annotations) as match conditions and the "
        + "check's message. The binding selects the policy's namespace, or for a bundle every "
        + "namespace but kube-system, kube-public, kube-node-lease, cert-manager, kube-devops "
        + "and --system-namespace's.",
        "With --action Deny (the default) checks at or above the policy's denySeverity deny "
            + "and the others warn; Warn or Audit makes every binding warn or audit.",
        "Checks that need other objects, runtime status or functions the API server's CEL "
            + "lacks are listed on stderr (\"stays with the webhook / operator\").", ""},
    footer = {"", "Exit codes: 0 exported (also when no check can be); 2 usage error, an "
        + "unreadable policy, or the cluster could not be reached.",
        "", "Examples:",
        "  kube-devops policy export-vap --bundle restricted | kubectl apply -f -",
        "  kube-devops policy export-vap --policy policies/namespaces/shop/policy.yaml",
        "  kube-devops policy export-vap -n shop --action Warn -o json"})
final class PolicyExportVapCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;
  @Mixin
  SystemNamespaceOptions systemNamespaces;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "A DevOpsPolicy file; its metadata.namespace scopes the bindings (none: "
          + "every namespace but the system ones).")
  Path policyFile;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "The policy in force in this namespace of the cluster (its DevOpsPolicy, "
          + "or the default bundle where it has none).")
  String namespace;

  @Option(names = "--bundle", paramLabel = "NAME",
      description = "A built-in bundle: baseline, restricted, permissive, pss-baseline or "
          + "pss-restricted.")
  String bundle;

  @Option(names = "--action", paramLabel = "ACTION", defaultValue = "Deny",
      description = "Deny (deny at or above the policy's denySeverity, warn below), Warn or "
          + "Audit (default: ${DEFAULT-VALUE}).")
  String action;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
      description = "yaml (one document per object) or json (a List) (default: "
          + "${DEFAULT-VALUE}).")
  String output;

  enum Format { yaml, json }

  /** What is exported, under which name, for which namespace (null: all but system ones). */
  private record Source(EffectivePolicy policy, String name, String namespace) {}

  PolicyExportVapCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    Format format = OutputFormat.parse(Format.class, output, "--output");
    Action parsedAction;
    try {
      parsedAction = Action.parse(action);
    } catch (IllegalArgumentException e) {
      throw new UserException("--action: " + e.getMessage());
    }
    int sources = (policyFile != null ? 1 : 0) + (namespace != null ? 1 : 0)
        + (bundle != null ? 1 : 0);
    if (sources != 1) {
      throw new UserException("export-vap needs exactly one of --policy FILE, -n NS or "
          + "--bundle NAME");
    }
    PrintWriter err = spec.commandLine().getErr();
    Source source = policyFile != null ? fromFile(err)
        : namespace != null ? fromCluster(err)
        : new Source(PolicyOptions.bundle(application, bundle), "bundle-" + bundle, null);

    Set<String> excluded = new TreeSet<>(systemNamespaces.engineSettings().systemNamespaces());
    excluded.add(RbacManifests.DEFAULT_NAMESPACE);
    VapExporter.Export export = new VapExporter(application.catalog().environment(), excluded)
        .export(source.policy(), source.name(), source.namespace(), parsedAction);
    for (VapExporter.Kept kept : export.kept()) {
      err.println(kept.line());
    }
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.json) {
      PolicyExportCommand.printList(out, export.objects());
    } else {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));
      String separator = "";
      for (Map<String, Object> object : export.objects()) {
        out.print(separator + yaml.writeValueAsString(object));
        separator = "---\n";
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  private Source fromFile(PrintWriter err) {
    AuditCommand.requireFile(policyFile, "--policy");
    KubeObject policy = PolicyOptions.readPolicyFile(application, policyFile, "export-vap", err);
    EffectivePolicy effective;
    try {
      effective = application.policyResolver().resolve(
          PolicyDocuments.fromTree(policy.source(), policy.content()), policy.source());
    } catch (EngineException e) {
      throw new UserException(e.getMessage(), e);
    }
    Object declared = policy.metadata().get("namespace");
    String ns = declared == null || declared.toString().isBlank() ? null : declared.toString();
    return new Source(effective, ns == null ? policy.name() : ns + "-" + policy.name(), ns);
  }

  private Source fromCluster(PrintWriter err) {
    EffectivePolicy fallback = PolicyOptions.bundle(application, null);
    try (ClusterSession session = cluster.open(application)) {
      PolicyLookup policies = ClusterPolicies.read(session, session.context(), namespace,
          fallback, application.resolvedPolicies(), err::println);
      Optional<PolicyRef> governing = policies.governing(namespace);
      if (governing.isEmpty()) {
        err.println("namespace " + namespace + " has no DevOpsPolicy: exporting "
            + fallback.name() + ", which applies there");
      }
      String name = governing.map(ref -> namespace + "-" + ref.name())
          .orElse(namespace + "-" + fallback.bundle());
      return new Source(policies.policyFor(namespace), name, namespace);
    }
  }
}
