package io.stochastic.devops.cli;

import io.stochastic.devops.engine.policy.CrdResources;
import io.stochastic.devops.engine.policy.CrdResources.CrdFile;
import io.stochastic.devops.kube.ApplyResult;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.CrdInstaller;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kube-devops crd generate|install}: the project's CustomResourceDefinitions. */
@Command(name = "crd", description = "Print or install the kube-devops CRDs (DevOpsPolicy, "
    + "PolicyAuditResult), as the jar carries them.",
    subcommands = {CrdCommand.Generate.class, CrdCommand.Install.class})
final class CrdCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: generate or "
        + "install");
  }

  @Command(name = "generate", description = {"Print every CRD of kube-devops as one "
      + "multi-document YAML stream, byte for byte the files of the repository's crds/ "
      + "(sorted by name, separated by ---), for kubectl apply or a GitOps repository.", ""},
      footer = {"", "Examples:",
          "  kube-devops crd generate | kubectl apply --server-side -f -",
          "  kube-devops crd generate --dir deploy/crds"})
  static final class Generate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Write one file per CRD into DIR (created if needed) instead.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      List<CrdFile> files = CrdResources.all();
      if (dir != null) {
        Files.createDirectories(dir);
        for (CrdFile file : files) {
          Path target = dir.resolve(file.fileName());
          Files.writeString(target, file.text(), StandardCharsets.UTF_8);
          out.println("wrote " + target);
        }
      } else {
        out.print(concatenated(files));
      }
      out.flush();
      return ExitCode.OK;
    }

    /** The files one after the other, each starting with {@code ---} but the first. */
    static String concatenated(List<CrdFile> files) {
      StringBuilder text = new StringBuilder();
      for (CrdFile file : files) {
        if (!text.isEmpty()) {
          text.append("---\n");
        }
        text.append(file.text());
        if (!file.text().endsWith("\n")) {
          text.append('\n');
        }
      }
      return text.toString();
    }
  }

  @Command(name = "install", description = {"Install or upgrade the kube-devops CRDs with "
      + "server-side apply (field manager kube-devops) and wait until they are Established. "
      + "Running it again changes nothing and says so (unchanged).", ""},
      footer = {"", "Exit codes: 0 installed (or nothing to change); 2 the cluster could not be "
          + "reached, refused the CRDs, or they were not Established in time.",
          "", "Examples:",
          "  kube-devops crd install --dry-run",
          "  kube-devops crd install --context prod-eu"})
  static final class Install implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--dry-run", description = "Ask the API server what would change "
        + "(server-side dry run) and print it; change nothing.")
    boolean dryRun;

    @Option(names = "--force-conflicts", negatable = true, defaultValue = "true",
        fallbackValue = "true",
        description = "Take over fields of the CRDs another field manager owns (an earlier "
            + "install with kubectl, say), as the CRDs of the jar are the truth (default: "
            + "${DEFAULT-VALUE}; --no-force-conflicts fails on a conflict instead).")
    boolean forceConflicts;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long to wait for each CRD to be Established (default: "
            + "${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Install(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      if (timeoutSeconds <= 0) {
        throw new UserException("--timeout must be positive, not " + timeoutSeconds);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (ClusterSession session = cluster.open(application)) {
        List<ApplyResult> results = new CrdInstaller(session)
            .install(dryRun, forceConflicts, Duration.ofSeconds(timeoutSeconds));
        ApplyOutput.print(results, out);
        if (!dryRun) {
          out.println(results.size() + " CRDs Established");
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }
}
