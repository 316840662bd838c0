package io.stochastic.devops.cli;

import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.input.IoProblems;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.policy.BundleRepository;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.remediation.manifest.ManifestFix;
import io.stochastic.devops.engine.remediation.manifest.ManifestFixer;
import io.stochastic.devops.engine.remediation.manifest.SkippedFix;
import io.stochastic.devops.engine.remediation.manifest.UnparsableManifest;
import io.stochastic.devops.kube.UnifiedDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops fix PATH...}: the catalog's remediations made edits of manifest files. */
@Command(name = "fix",
    description = {
        "Apply the catalog's remediations - the same JSON Patches the operator and the webhook "
            + "apply - to manifest files: a unified diff by default, the files rewritten with "
            + "--write. Comments, key order and formatting outside the changed entries are kept.",
        "A fix that needs a value the policy does not give (spec.remediation), a risky fix the "
            + "policy does not allow, or one inside an anchor that aliases share is skipped and "
            + "listed on stderr.",
        ""},
    footer = {"", "Exit codes: 0 nothing to fix, or the files rewritten with --write; 1 a diff "
        + "was printed (fixes to apply, as diff exits); 2 usage error or a file that could not "
        + "be read or parsed (the other files are still fixed).",
        "", "Examples:",
        "  kube-devops fix k8s/",
        "  kube-devops fix k8s/ --write --check runAsRootAllowed,pullPolicyNotAlways",
        "  kube-devops fix deploy.yaml --policy policies/namespaces/shop/policy.yaml --write"})
final class FixCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "Manifest files, or directories (recursively: .yaml, .yml).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--write", description = "Rewrite the files in place instead of printing a "
      + "diff (each written beside and moved over the original).")
  boolean write;

  @Option(names = "--check", paramLabel = "ID", split = ",",
      description = "Fix only these checks (comma-separated or repeated).")
  List<String> checks = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "FILE",
      description = "A DevOpsPolicy file: its checks, and its spec.remediation values and "
          + "allowRiskyFixes.")
  Path policyFile;

  @Option(names = "--bundle", paramLabel = "NAME",
      description = "Built-in bundle used when no --policy is given (default: baseline).")
  String bundle;

  FixCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() throws IOException {
    if (policyFile != null && bundle != null) {
      throw new UserException("--policy cannot be combined with --bundle");
    }
    AuditCommand.requireFile(policyFile, "--policy");
    Set<String> only = knownChecks(checks);
    EffectivePolicy policy = policy();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failedInput = false;
    boolean pending = false;
    List<Path> files = files(err);
    // Every file's objects, as the audit of these paths reads them: the objects to fix, and
    // those the checks that look at other objects see (an autoscaler's Deployment gets no
    // replicas).
    ObjectSet inputs = new ManifestReader(ReadLimits.DEFAULT, "default")
        .read(files.stream().filter(f -> f != null).map(Path::toString).toList(),
            application.stdin()).toObjectSet();
    ManifestFixer fixer = new ManifestFixer(application.engine(
        new SystemNamespaceOptions().engineSettings()), policy, only, inputs);
    for (Path file : files) {
      if (file == null) {
        failedInput = true;
        continue;
      }
      ManifestFix fix;
      try {
        fix = fixer.fix(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.println("error: " + file + ": " + IoProblems.describe(e));
        failedInput = true;
        continue;
      } catch (UnparsableManifest e) {
        err.println("error: " + file + ": " + e.getMessage());
        failedInput = true;
        continue;
      }
      for (SkippedFix skipped : fix.skipped()) {
        err.println("skipped: " + file + ": " + skipped);
      }
      if (!fix.changed()) {
        continue;
      }
      if (write) {
        replace(file, fix.fixed());
        fix.fixedChecks().forEach(c -> err.println("fixed: " + file + ": " + c));
      } else {
        out.print(UnifiedDiff.of("a/" + file, fix.original(), "b/" + file, fix.fixed()));
        pending = true;
      }
    }
    out.flush();
    err.flush();
    return failedInput ? ExitCode.ERROR : pending ? ExitCode.POLICY_FAILED : ExitCode.OK;
  }

  /** The files under the paths, in order; null for a path that does not exist (reported). */
  private List<Path> files(PrintWriter err) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile).filter(FixCommand::manifest).sorted()
              .forEach(files::add);
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        err.println("error: " + path + ": no such file or directory");
        files.add(null);
      }
    }
    return files;
  }

  private static boolean manifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /**
   * Writes beside the file and moves over it, so that a crash or a full disk leaves the original
   * or the fixed file, never half of one.
   */
  private static void replace(Path file, String text) throws IOException {
    Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(),
        "." + file.getFileName(), ".kube-devops-fix");
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(file));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the default permissions are all there is to keep.
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private Set<String> knownChecks(List<String> ids) {
    Set<String> known = new TreeSet<>();
    application.catalog().definitions().forEach(d -> known.add(d.id()));
    for (String id : ids) {
      if (!known.contains(id)) {
        throw new UserException("--check: unknown check " + Suggestions.quoted(id)
            + Suggestions.didYouMean(id, known) + " (see 'kube-devops checks list')");
      }
    }
    return new LinkedHashSet<>(ids);
  }

  private EffectivePolicy policy() {
    var resolver = application.policyResolver();
    if (policyFile == null) {
      try {
        return resolver.bundle(bundle == null ? BundleRepository.DEFAULT_BUNDLE : bundle);
      } catch (EngineException e) {
        throw new UserException("--bundle: " + e.getMessage());
      }
    }
    PolicyInput input = PolicyInput.read(application, List.of(policyFile.toString()),
        new TreeSet<>());
    input.requireValid("fix", spec.commandLine().getErr());
    List<KubeObject> found = input.batch().objects().stream()
        .filter(o -> PolicyDocuments.isPolicy(o.content())).toList();
    if (found.size() != 1) {
      throw new UserException(policyFile + ": expected one DevOpsPolicy, found " + found.size());
    }
    KubeObject policy = found.get(0);
    return resolver.resolve(PolicyDocuments.fromTree(policy.source(), policy.content()),
        policy.source());
  }
}
