package io.stochastic.devops.cli;

import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.input.InvalidDocument;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ManifestSource;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.input.RenderedManifests;
import io.stochastic.devops.engine.input.schema.ObjectSchemas;
import io.stochastic.devops.engine.policy.BundleRepository;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.PolicyGate;
import io.stochastic.devops.engine.result.UndeclaredKind;
import io.stochastic.devops.engine.workload.DeclaredWorkloadKind;
import io.stochastic.devops.report.ReportContext;
import io.stochastic.devops.report.ReportFormat;
import io.stochastic.devops.report.ReportRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops audit [PATH|-]...}: the offline audit of manifest files. */
@Command(name = "audit",
    description = {
        "Audit Kubernetes manifests offline (no cluster needed): files, directories "
            + "(recursively: .yaml, .yml, .json), multi-document streams, List objects, or - "
            + "for stdin.",
        "--helm-chart DIR renders a Helm chart in-process, as helm template would, and audits "
            + "what it renders, each finding pointing at its template.",
        "Workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, "
            + "Job, CronJob, in current and older apiVersions) are scored against the policy; "
            + "RBAC objects, ConfigMaps and Ingresses are judged by the checks about them, and "
            + "an object of any kind in an apiVersion deprecated or removed in "
            + "--kubernetes-version is reported; other objects are read for the checks that "
            + "look across objects and otherwise skipped.",
        ""},
    footer = {"", "Exit codes: 0 the gate passed; 1 the score is below --fail-below, a "
        + "finding is at or above --fail-on, or nothing was audited under --fail-on-empty; 2 usage error or unreadable input.",
        "", "Examples:",
        "  kube-devops audit examples/",
        "  kube-devops audit --helm-chart charts/web --values charts/web/values-prod.yaml "
            + "--set replicaCount=3 --fail-on high",
        "  set -o pipefail; helm template my-chart | kube-devops audit - --fail-on high "
            + "--fail-on-empty",
        "  kube-devops audit k8s/ --policy policies/namespaces/shop/policy.yaml -o sarif",
        "  kube-devops audit k8s/ --kubernetes-version 1.37 --fail-on high   # before upgrading"})
final class AuditCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "PATH|-", arity = "0..*",
      description = "Manifest files or directories, or - for stdin (at least one, unless "
          + "--helm-chart is given).")
  List<String> paths = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "FILE",
      description = "A DevOpsPolicy file applied to every workload read, whatever its "
          + "namespace.")
  Path policyFile;

  @Option(names = "--bundle", paramLabel = "NAME",
      description = "Built-in bundle applied when no --policy is given: baseline, restricted, "
          + "permissive, pss-baseline or pss-restricted (default: baseline).")
  String bundle;

  @Option(names = "--policies", paramLabel = "DIR",
      description = "A policy repository: each namespace's DevOpsPolicy (by metadata.namespace) "
          + "applies to that namespace, --bundle elsewhere.")
  Path policiesDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      completionCandidates = FormatCandidates.class,
      description = "table, json, yaml, junit, sarif, github (workflow annotations, one per "
          + "finding) or markdown (for a CI step summary) (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--fail-below", paramLabel = "SCORE",
      description = "Exit 1 when the overall score is below SCORE (0-100).")
  Integer failBelow;

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Exit 1 when a finding is at or above SEVERITY (critical, high, medium, low).")
  String failOn;

  @Option(names = "--fail-on-empty",
      description = "Exit 1 when no workload was audited (empty input, or only objects no check "
          + "judges): an empty pipe from a failed helm template or kustomize must not pass.")
  boolean failOnEmpty;

  @Option(names = "--show-passed", description = "Also list the checks that passed.")
  boolean showPassed;

  @Option(names = "--enable", paramLabel = "CHECK", split = ",",
      description = "Also run these checks (comma-separated or repeated), at their default "
          + "severity, whatever the policy says; a check the policy leaves off runs with its "
          + "default parameters (turn it on in the policy to use its checkParameters).")
  List<String> enable = new ArrayList<>();

  @Option(names = "--disable", paramLabel = "CHECK", split = ",",
      description = "Do not run these checks (comma-separated or repeated), whatever the policy "
          + "says.")
  List<String> disable = new ArrayList<>();

  @Option(names = "--workload-kind", paramLabel = "KIND[.GROUP][=PATH]",
      description = "Judge objects of this custom kind like a Deployment, reading their pod "
          + "template at PATH (default spec.template), as a policy's spec.workloadKinds does "
          + "(repeatable): Rollout.argoproj.io, Service.serving.knative.dev, "
          + "CloneSet.apps.kruise.io=spec.template.")
  List<String> workloadKinds = new ArrayList<>();

  @Option(names = "--only-failed",
      description = "table and markdown: list only the workloads with findings.")
  boolean onlyFailed;

  @Option(names = "--summary",
      description = "table and markdown: the score and the counts only, no workloads. "
          + "json, yaml, junit, sarif and github are always complete.")
  boolean summaryOnly;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
      description = "Namespace of objects that declare none, as kubectl apply -n would, and "
          + "--helm-chart's release namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--skip-invalid",
      description = "Warn about unreadable documents and audit the rest, instead of exit 2; "
          + "the report counts the documents skipped.")
  boolean skipInvalid;

  @Mixin
  HelmChartOptions helm;

  @Mixin
  ManifestValidationOptions validation;

  @Mixin
  EngineOptions engineOptions;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour the table: auto (a terminal, unless NO_COLOR is set), always, never.")
  String color;

  AuditCommand(Application application) {
    this.application = application;
  }

  static final class FormatCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return OutputFormat.names(ReportFormat.class).iterator();
    }
  }

  @Override
  public Integer call() throws IOException {
    ReportFormat format = OutputFormat.parse(ReportFormat.class, output, "--output");
    List<RenderedManifests> charts = helm.charts(!paths.isEmpty(), namespace, spec.commandLine());
    if (policyFile != null && (bundle != null || policiesDir != null)) {
      throw new UserException("--policy cannot be combined with --bundle or --policies");
    }
    if (failBelow != null && (failBelow < 0 || failBelow > 100)) {
      throw new UserException("--fail-below must be between 0 and 100, not " + failBelow);
    }
    Severity gateSeverity = parseSeverity(failOn);
    List<DeclaredWorkloadKind> declaredKinds = parseWorkloadKinds(workloadKinds);
    EngineSettings settings = engineOptions.engineSettings();
    boolean useColor = application.terminal().color(color);
    requireFile(policyFile, "--policy");
    PrintWriter err = spec.commandLine().getErr();

    CompletableFuture<ObjectSchemas> schemas = validation.startLoading();
    CompletableFuture<EffectivePolicy> fallbackBundle = resolveBundleWhileReading();
    ManifestSource source = source(charts);
    ManifestBatch batch = read(source);
    validation.validate(schemas, batch);
    batch.warnings().forEach(w -> err.println("warning: " + w));
    if (!batch.invalid().isEmpty()) {
      for (InvalidDocument invalid : batch.invalid()) {
        err.println((skipInvalid ? "warning: " : "error: ") + invalid);
      }
      if (!skipInvalid) {
        err.flush();
        return ExitCode.ERROR;
      }
    }
    Set<String> knownKinds = new TreeSet<>();
    batch.objects().forEach(o -> knownKinds.add(o.kind()));
    declaredKinds.forEach(k -> knownKinds.add(k.kind()));
    NamespacePolicies policies = withToggles(policies(fallbackBundle, knownKinds))
        .map(p -> p.withWorkloadKinds(declaredKinds));
    policies.warnings().forEach(w -> err.println("warning: " + w));

    AuditResult result = application.engine(settings).audit(batch.toObjectSet(), policies);
    warnUndeclared(result, err);
    if (result.subjects().isEmpty()) {
      err.println("warning: no workloads found in " + source.describe()
          + " (" + batch.objects().size() + " objects read); score 100");
    }
    err.flush();

    PrintWriter out = spec.commandLine().getOut();
    ReportContext context = new ReportContext(result, policies.checkDefinitions(),
        policies.describe(), application.buildInfo().version(), showPassed,
        useColor).withInvalid(batch.invalid()).withDisplay(onlyFailed, summaryOnly)
        .withInputCounts(batch.skippedKustomizations(), batch.duplicates());
    ReportRenderer.of(format).render(context, out);
    out.flush();
    return gate(result, gateSeverity, err);
  }

  /** {@code --workload-kind} values; a malformed one is a usage error. */
  static List<DeclaredWorkloadKind> parseWorkloadKinds(List<String> values) {
    List<DeclaredWorkloadKind> kinds = new ArrayList<>();
    for (String value : values) {
      try {
        kinds.add(DeclaredWorkloadKind.parse(value));
      } catch (IllegalArgumentException e) {
        throw new UserException("--workload-kind: " + e.getMessage());
      }
    }
    return kinds;
  }

  /** One warning per custom kind whose objects carry a pod template but were skipped. */
  static void warnUndeclared(AuditResult result, PrintWriter err) {
    for (UndeclaredKind kind : result.undeclared()) {
      err.println("warning: " + kind.objects() + " " + kind.name()
          + (kind.objects() == 1 ? " object carries" : " objects carry")
          + " a pod template at " + kind.podTemplatePath() + " but " + kind.kind()
          + " is not a declared workload kind: skipped; declare it with --workload-kind "
          + kind.declaration() + " or a policy's spec.workloadKinds");
    }
  }

  private int gate(AuditResult result, Severity gateSeverity, PrintWriter err) {
    List<String> reasons = new PolicyGate(failBelow, gateSeverity, failOnEmpty)
        .reasons(result.score(), result.subjects());
    if (reasons.isEmpty()) {
      return ExitCode.OK;
    }
    err.println("policy gate failed: " + String.join("; ", reasons));
    err.flush();
    return ExitCode.POLICY_FAILED;
  }

  /**
   * Resolves the audit's bundle, compiling its checks, on another thread while the manifests are
   * read: neither needs the other, and compiling is a second of CPU on a large audit. Null with
   * --policy, which names its bundle in a file read later.
   */
  private CompletableFuture<EffectivePolicy> resolveBundleWhileReading() {
    if (policyFile != null) {
      return null;
    }
    String name = bundle == null ? BundleRepository.DEFAULT_BUNDLE : bundle;
    // The bundles load beside the catalog: on a small audit this is the wait after reading.
    // A failure here shows again, and is reported, when the resolver asks for the bundles.
    CompletableFuture.runAsync(application::bundles, task -> daemon("kube-devops-bundles", task));
    return CompletableFuture.supplyAsync(() -> application.policyResolver().bundle(name),
        task -> daemon("kube-devops-compile", task));
  }

  /** Runs {@code task} on a daemon thread of its own: the CLI exits whatever it still does. */
  static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    // Silent: what fails here (out of memory while the main thread reads a huge file) fails
    // again where it is reported as one line; the default handler would print a stack trace.
    thread.setUncaughtExceptionHandler((t, e) -> { });
    thread.start();
  }

  private ManifestSource source(List<RenderedManifests> charts) {
    ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, namespace)
        .skippingKustomizations();
    return new ManifestSource(reader, paths, application.stdin(), charts);
  }

  private static ManifestBatch read(ManifestSource source) {
    try {
      return source.batch();
    } catch (IllegalStateException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  /**
   * @param fallbackBundle the bundle being resolved for namespaces without a policy
   * @param knownKinds the kinds of the manifests and of --workload-kind, which custom checks of
   *     the policies may name
   */
  private NamespacePolicies policies(CompletableFuture<EffectivePolicy> fallbackBundle,
      Set<String> knownKinds) {
    var resolver = application.policyResolver();
    if (policyFile != null) {
      List<KubeObject> found = policyObjects(List.of(policyFile.toString()), knownKinds);
      if (found.size() != 1) {
        throw new UserException(policyFile + ": expected one DevOpsPolicy, found "
            + found.size());
      }
      KubeObject policy = found.get(0);
      return NamespacePolicies.single(resolver.resolve(
          PolicyDocuments.fromTree(policy.source(), policy.content()), policy.source()));
    }
    EffectivePolicy fallback;
    try {
      fallback = fallbackBundle.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof EngineException problem) {
        throw new UserException("--bundle: " + problem.getMessage());
      }
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    if (policiesDir == null) {
      return NamespacePolicies.single(fallback);
    }
    if (!Files.isDirectory(policiesDir)) {
      throw new UserException(policiesDir + ": --policies needs a directory");
    }
    return NamespacePolicies.of(policyObjects(List.of(policiesDir.toString()), knownKinds),
        fallback, application.resolvedPolicies());
  }

  /**
   * The DevOpsPolicy documents under the paths, linted against the CRD's schema as
   * {@code policy lint} would: an invalid policy is refused with its problems listed.
   */
  private List<KubeObject> policyObjects(List<String> inputs, Set<String> knownKinds) {
    PolicyInput input = PolicyInput.read(application, inputs, knownKinds);
    input.requireValid("audit", spec.commandLine().getErr());
    return input.batch().objects().stream()
        .filter(o -> PolicyDocuments.isPolicy(o.content())).toList();
  }

  /**
   * The policies with --enable and --disable applied. An id no catalog or policy knows is a
   * usage error naming the closest ones; a check both enabled and disabled is refused.
   */
  private NamespacePolicies withToggles(NamespacePolicies policies) {
    if (enable.isEmpty() && disable.isEmpty()) {
      return policies;
    }
    var catalog = application.catalog();
    Set<String> known = new TreeSet<>();
    catalog.definitions().forEach(d -> known.add(d.id()));
    Set<String> custom = policies.checkDefinitions().keySet();
    for (String id : enable) {
      if (!catalog.contains(id)) {
        throw new UserException("--enable: " + (custom.contains(id)
            ? "'" + id + "' is a custom check of the policy, which already runs it"
            : "unknown check " + Suggestions.quoted(id) + Suggestions.didYouMean(id, known)
                + " (see 'kube-devops checks list')"));
      }
    }
    known.addAll(custom);
    for (String id : disable) {
      if (!known.contains(id)) {
        throw new UserException("--disable: unknown check " + Suggestions.quoted(id)
            + Suggestions.didYouMean(id, known) + " (see 'kube-devops checks list')");
      }
      if (enable.contains(id)) {
        throw new UserException("check '" + id + "' is both in --enable and in --disable");
      }
    }
    var resolver = application.policyResolver();
    return policies.map(p -> resolver.withToggles(p, enable, disable));
  }

  /** A missing or unreadable file named by an option, as one line before any work is done. */
  static void requireFile(Path file, String option) {
    if (file == null) {
      return;
    }
    if (!Files.exists(file)) {
      throw new UserException(file + ": no such file (" + option + ")");
    }
    if (Files.isDirectory(file)) {
      throw new UserException(file + ": is a directory, " + option + " needs a file");
    }
    if (!Files.isReadable(file)) {
      throw new UserException(file + ": permission denied (" + option + ")");
    }
  }

  private static Severity parseSeverity(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Severity.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UserException("--fail-on: " + e.getMessage());
    }
  }
}
