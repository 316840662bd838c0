package io.stochastic.devops.cli;

import io.stochastic.devops.engine.check.CheckDefinition;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.policy.PolicyRepository;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.devopspolicyspec.CustomChecks;
import io.stochastic.devops.engine.policy.lint.LintReport;
import io.stochastic.devops.report.LintFormat;
import io.stochastic.devops.report.LintRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops policy lint [PATH|-]...}: DevOpsPolicy files checked offline. */
@Command(name = "lint",
    description = {
        "Check DevOpsPolicy files offline, without a cluster: against the CRD's OpenAPI schema "
            + "(types, enums, ranges, required and unknown fields, as kubectl apply "
            + "--validate=strict would), metadata.name, custom checks (ids, CEL that compiles), "
            + "check ids and parameters in severityOverrides, exemptions and checkParameters, and "
            + "one policy per namespace across all the files. On stderr, for each custom check, "
            + "whether policy export-vap exports it as a ValidatingAdmissionPolicy or why it "
            + "stays with the webhook.",
        "Directories are read recursively (.yaml, .yml, .json); documents that are not "
            + "policies are skipped, so a directory of manifests lints too, and so are files "
            + "that hold none: a Helm chart's Chart.yaml, values*.yaml and templates/, "
            + "kustomization files, kube-devops's own reports.",
        "With no path, lints the policy repository: the current directory when it holds "
            + "bundles/ or namespaces/, else its policies/ directory, else the same in the "
            + "parent directories up to the Git working tree's root.",
        ""},
    footer = {"", "Exit codes: 0 no problems (warnings allowed unless --strict); 1 problems "
        + "found; 2 usage error or unreadable input.",
        "", "Examples:",
        "  kube-devops policy lint policies/",
        "  kube-devops policy lint policies/ -o sarif > lint.sarif",
        "  kubectl get devopspolicies -A -o yaml | kube-devops policy lint -"})
final class PolicyLintCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "PATH|-", arity = "0..*",
      description = "Policy files or directories, or - for stdin (default: the policy "
          + "repository found from the current directory).")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      completionCandidates = FormatCandidates.class,
      description = "table (one line per problem), json or sarif (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--strict", description = "Fail (exit 1) on warnings too.")
  boolean strict;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour the lines: auto (a terminal, unless NO_COLOR is set), always, never.")
  String color;

  PolicyLintCommand(Application application) {
    this.application = application;
  }

  static final class FormatCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return OutputFormat.names(LintFormat.class).iterator();
    }
  }

  @Override
  public Integer call() throws IOException {
    LintFormat format = OutputFormat.parse(LintFormat.class, output, "--output");
    boolean useColor = application.terminal().color(color);
    List<String> inputs = paths.isEmpty() ? List.of(policyRepository()) : paths;
    PolicyInput input = PolicyInput.read(application, inputs);
    LintReport report = input.lint();
    PrintWriter out = spec.commandLine().getOut();
    LintRenderer.of(format).render(report, application.buildInfo().version(),
        useColor, out);
    out.flush();
    vapNotes(input);
    if (report.policies() == 0 && report.unreadable() == 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("warning: no DevOpsPolicy found in " + String.join(", ", inputs));
      err.flush();
    }
    if (report.unreadable() > 0) {
      return ExitCode.ERROR;
    }
    boolean failed = report.errors() > 0 || (strict && report.warnings() > 0);
    return failed ? ExitCode.POLICY_FAILED : ExitCode.OK;
  }

  /**
   * On stderr (the report on stdout stays as it was): for each custom check that compiles,
   * whether {@code policy export-vap} exports it, or why it stays with the webhook or operator.
   */
  private void vapNotes(PolicyInput input) {
    PrintWriter err = spec.commandLine().getErr();
    VapExporter exporter = new VapExporter(application.catalog().environment(), List.of());
    for (KubeObject object : input.batch().objects()) {
      if (!PolicyDocuments.isPolicy(object.content())) {
        continue;
      }
      DevOpsPolicy policy;
      try {
        policy = PolicyDocuments.fromTree(object.source(), object.content());
      } catch (RuntimeException e) {
        continue; // the report says what is wrong with it
      }
      if (policy.getSpec() == null || policy.getSpec().getCustomChecks() == null) {
        continue;
      }
      for (CustomChecks custom : policy.getSpec().getCustomChecks()) {
        CheckDefinition definition;
        try {
          definition = application.policyResolver().compileCustomCheck(
              PolicyResolver.customCheckDefinition(object.source(), custom), object.source())
              .definition();
        } catch (RuntimeException e) {
          continue; // reported as invalidCustomCheck
        }
        err.println(object.source() + ": custom check " + definition.id() + " "
            + exporter.obstacle(definition).map(why -> "stays with the webhook / operator ("
                + why + ")").orElse("exports as a ValidatingAdmissionPolicy (policy export-vap)"));
      }
    }
    err.flush();
  }

  /**
   * The policy repository to lint when no path is given, as a path relative to the current
   * directory (how the problems name their files); named on stderr, as it may be a parent's.
   */
  private String policyRepository() {
    Path here = Path.of("").toAbsolutePath();
    Path found = PolicyRepository.find(here).orElseThrow(() -> new UserException(
        "no policy repository here: neither this directory nor a parent up to the Git working "
            + "tree's root holds policies/, bundles/ or namespaces/; name what to lint: "
            + "kube-devops policy lint PATH"));
    String relative = here.relativize(found).toString();
    String shown = relative.isEmpty() ? "." : relative;
    PrintWriter err = spec.commandLine().getErr();
    err.println("linting the policy repository " + shown + (shown.equals(".") ? "" : "/"));
    err.flush();
    return shown;
  }
}
