package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stochastic.devops.api.ApiGroup;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.gitops.VapDiffer;
import io.stochastic.devops.gitops.VapTranslation;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.LivePolicies;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyDiffer;
import io.stochastic.devops.kube.PolicyDiffer.Difference;
import io.stochastic.devops.kube.PolicyDiffer.Status;
import io.stochastic.devops.kube.PolicyImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy diff FILE|DIR...}: policy files against the cluster. */
@Command(name = "diff",
    description = {"Show how the cluster's DevOpsPolicies differ from the files, as a unified "
        + "diff of normalised YAML (server-populated fields left out), like kubectl diff "
        + "--server-side: each file is applied as a server-side dry run (field manager "
        + "kube-devops-sync) and the result compared with the live policy.",
        "Policies in the cluster that no file declares are shown too (as removals): in the "
            + "namespaces the files cover, or in every namespace with -A. The files are linted "
            + "first.", ""},
    footer = {"", "Exit codes: 0 no differences; 1 differences found; 2 usage error, "
        + "unreadable or invalid files, or the cluster could not be reached or refused a "
        + "policy.",
        "", "Examples:",
        "  kube-devops policy diff policies/namespaces/",
        "  kube-devops policy diff policies/namespaces/ -A -o json",
        "  kube-devops policy diff policies/ --vap"})
final class PolicyDiffCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;

  @Mixin
  PolicyFileOptions files;

  @Option(names = {"-A", "--all-namespaces"},
      description = "Show the cluster's policies of every namespace that no file declares, not "
          + "only those of the namespaces the files cover.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "diff",
      description = "diff (unified diff) or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--vap", description = "Also compare the ValidatingAdmissionPolicies and "
      + "bindings that sync --vap would apply for these policies (policy export-vap's, "
      + "relabelled as the sync's) with the cluster's, and list the sync's exported objects no "
      + "policy gives any more.")
  boolean vap;

  @Option(names = "--force-conflicts", description = "Compare with what applying with "
      + "--force-conflicts would give, instead of failing where another field manager owns a "
      + "field the files change.")
  boolean forceConflicts;

  enum Format { diff, json }

  PolicyDiffCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    Format format = OutputFormat.parse(Format.class, output, "--output");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PolicyInput input = files.readValid(application, "diff", err);
    PolicyDiffer.Result result;
    try (ClusterSession session = cluster.open(application)) {
      List<DesiredPolicy> policies = files.desired(input, session);
      ObjectYaml yaml = ObjectYaml.policies(application.policySchema());
      result = new PolicyDiffer(new PolicyImporter(session, yaml), new LivePolicies(session),
          yaml).diff(policies, allNamespaces, forceConflicts);
      if (vap) {
        VapTranslation translation = new VapTranslation(application.policyResolver(),
            new VapExporter(application.catalog().environment(), List.of()));
        result = result.and(new VapDiffer(session, translation)
            .diff(policies, allNamespaces, forceConflicts));
      }
    }
    if (format == Format.json) {
      out.println(json(result));
    } else {
      result.differences().forEach(d -> out.print(d.diff()));
    }
    out.flush();
    result.failures().forEach(f -> err.println("error: " + f.message()));
    err.println(summary(result));
    err.flush();
    if (!result.failures().isEmpty()) {
      return ExitCode.ERROR;
    }
    return result.differs() ? ExitCode.POLICY_FAILED : ExitCode.OK;
  }

  private static String summary(PolicyDiffer.Result result) {
    return result.count(Status.CHANGED) + " changed, " + result.count(Status.CREATED)
        + " to create, " + result.count(Status.ABSENT) + " only in the cluster, "
        + result.count(Status.UNCHANGED) + " unchanged"
        + (result.failures().isEmpty() ? "" : "; " + result.failures().size() + " refused");
  }

  private static String json(PolicyDiffer.Result result) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("apiVersion", ApiGroup.API_VERSION);
    root.put("kind", "PolicyDiff");
    root.put("differences", result.differs());
    ObjectNode summary = root.putObject("summary");
    for (Status status : Status.values()) {
      summary.put(status.id(), result.count(status));
    }
    summary.put("refused", result.failures().size());
    ArrayNode policies = root.putArray("policies");
    for (Difference d : result.differences()) {
      ObjectNode policy = policies.addObject();
      policy.put("kind", d.kind());
      if (d.namespace() != null) {
        policy.put("namespace", d.namespace());
      }
      policy.put("name", d.name());
      if (d.source() != null) {
        policy.put("source", d.source());
      }
      policy.put("status", d.status().id());
      policy.put("diff", d.diff());
    }
    ArrayNode refused = root.putArray("refused");
    for (PolicyImporter.Failure f : result.failures()) {
      refused.addObject()
          .put("namespace", f.policy().namespace())
          .put("name", f.policy().name())
          .put("source", f.policy().source())
          .put("message", f.message());
    }
    return mapper.writeValueAsString(root);
  }
}
