package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.LivePolicies;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.PolicyExporter;
import io.stochastic.devops.kube.PolicyExporter.ExportedPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy export -n NS|-A}: a cluster's policies as files to commit. */
@Command(name = "export",
    description = {"Print the DevOpsPolicies of a namespace (or of all) as clean YAML, ready to "
        + "commit: without status, managedFields, uid, resourceVersion, generation, "
        + "creationTimestamp, finalizers, owner references or tool annotations; fields in the "
        + "CRD's order.",
        "With --dir, write one file per policy laid out like a policy repository: "
            + "DIR/namespaces/<namespace>/<name>.yaml.", ""},
    footer = {"", "Exit codes: 0 exported (also when there is nothing to export); 2 usage "
        + "error or the cluster could not be reached.",
        "", "Examples:",
        "  kube-devops policy export -n shop > policies/namespaces/shop/policy.yaml",
        "  kube-devops policy export -A --dir policies/"})
final class PolicyExportCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;

  @Mixin
  NamespaceScope namespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
      description = "yaml (one document per policy) or json (a List) (default: "
          + "${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Write DIR/namespaces/<namespace>/<name>.yaml files instead of printing "
          + "(existing files are replaced; files of policies no longer in the cluster stay).")
  Path dir;

  enum Format { yaml, json }

  /** {@code items} as a kubectl List, indented JSON. */
  static void printList(PrintWriter out, List<?> items) throws IOException {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", items);
    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(list));
  }

  PolicyExportCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    Format format = OutputFormat.parse(Format.class, output, "--output");
    namespaces.validate();
    if (dir != null && format != Format.yaml) {
      throw new UserException("--dir writes YAML files: -o json cannot be combined with it");
    }
    List<ExportedPolicy> policies;
    String scope;
    try (ClusterSession session = cluster.open(application)) {
      String ns = namespaces.resolve(session);
      scope = ns == null ? "any namespace" : "namespace " + ns;
      policies = new PolicyExporter(new LivePolicies(session),
          ObjectYaml.policies(application.policySchema())).export(ns);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (policies.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no DevOpsPolicies in " + scope);
      err.flush();
    } else if (dir != null) {
      for (ExportedPolicy policy : policies) {
        Path file = dir.resolve(policy.repositoryPath());
        Files.createDirectories(file.getParent());
        Files.writeString(file, policy.yaml(), StandardCharsets.UTF_8);
        out.println("wrote " + file);
      }
    } else if (format == Format.json) {
      printList(out, policies.stream().map(ExportedPolicy::object).toList());
    } else {
      String separator = "";
      for (ExportedPolicy policy : policies) {
        out.print(separator + policy.yaml());
        separator = "---\n";
      }
    }
    out.flush();
    return ExitCode.OK;
  }
}
