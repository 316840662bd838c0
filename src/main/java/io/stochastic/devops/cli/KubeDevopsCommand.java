package io.stochastic.devops.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code kube-devops} command: subcommands only, and the options every command shares. */
@Command(name = "kube-devops",
    mixinStandardHelpOptions = false,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Scores Kubernetes workloads against DevOpsPolicy checks (probes, resource limits, image "
            + "tags, security context, RBAC, availability) and acts on the result.",
        ""},
    versionProvider = KubeDevopsCommand.Version.class,
    subcommands = {
        HelpCommand.class,
        VersionCommand.class,
        EnvironmentCheckCommand.class,
        CompletionCommand.class,
        ChecksCommand.class,
        AuditCommand.class,
        FixCommand.class,
        CrdCommand.class,
        PolicyCommand.class,
        ListCommand.class,
        AnalyzeCommand.class,
        MultiClusterCommand.class,
        AuditorCommand.class,
        SyncCommand.class,
        ReconcileCommand.class,
        DeployCommand.class,
        ObservabilityCommand.class,
        WatchCommand.class,
        WebhookCommand.class,
    },
    footer = {"", "Exit codes: 0 success; 1 the policy gate failed (or differences found); "
        + "2 usage error, unreadable input or unreachable cluster.",
        "Run 'kube-devops COMMAND --help' for a command's options."})
public final class KubeDevopsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Show stack traces and debug logs on errors.")
  boolean debug;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  @Option(names = "--version", versionHelp = true,
      description = "Print the version and exit ('kube-devops version' says more).")
  boolean version;

  /** What {@code --version} prints: the first lines of {@code kube-devops version}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      BuildInfo info = BuildInfo.load();
      return new String[] {"kube-devops " + info.version(), "commit:  " + info.commit()};
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  boolean debug() {
    return debug;
  }
}
