package io.stochastic.devops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.engine.input.IoProblems;
import io.stochastic.devops.gitops.GitAuth;
import io.stochastic.devops.gitops.GitAuthException;
import io.stochastic.devops.gitops.GitMirror;
import io.stochastic.devops.gitops.GitSource;
import io.stochastic.devops.gitops.PolicySync;
import io.stochastic.devops.gitops.SyncLoop;
import io.stochastic.devops.gitops.SyncOptions;
import io.stochastic.devops.gitops.SyncReport;
import io.stochastic.devops.gitops.SyncState;
import io.stochastic.devops.gitops.SyncStateStore;
import io.stochastic.devops.gitops.VapTranslation;
import io.stochastic.devops.engine.vap.VapExporter;
import io.stochastic.devops.kube.ApplyAction;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.metrics.SyncMetrics;
import io.stochastic.devops.runtime.ComponentRuntime;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.Readiness;
import io.stochastic.devops.runtime.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kube-devops sync}: the GitOps sync component (docs/gitops.md). */
@Command(name = "sync",
    description = {
        "Apply the DevOpsPolicies of a Git branch to one or more clusters, and keep them "
            + "applied: each poll fetches the branch, lints the files under --path with the "
            + "same linter as 'policy lint' (a file with errors is skipped and reported, the "
            + "others apply), and applies the policies of the files changed since the last "
            + "applied commit with server-side apply (field manager kube-devops-sync).",
        "With --prune, policies the tree no longer defines are deleted — only those the sync "
            + "applied itself (its inventory, kept with the last applied revision in the "
            + "ConfigMap kube-devops-sync-state of -n), still labelled "
            + "app.kubernetes.io/managed-by=kube-devops-sync and not annotated "
            + "devops.stochastic.io/prune=disabled; nothing when the tree defines no policy "
            + "(unless --allow-empty) or when the repository cannot be fetched.",
        "Without --once it runs until SIGTERM, serving /healthz, /readyz and /metrics on "
            + "--metrics-port, with leader election on the Lease kube-devops-sync.", ""},
    subcommands = {SyncCommand.Status.class},
    footer = {"", "Exit codes (--once): 0 every policy applied; 2 usage error, the repository "
        + "or a cluster could not be reached, a file skipped for lint errors or a policy "
        + "refused. Without --once: 0 after SIGTERM.",
        "", "Examples:",
        "  kube-devops sync --repo https://git.example.com/platform/policies.git --once",
        "  kube-devops sync --repo https://git.example.com/platform/policies.git --prune \\",
        "      --username sync --token-file /var/run/secrets/git/token --contexts prod,staging",
        "  kube-devops sync --repo git@git.example.com:platform/policies.git \\",
        "      --ssh-key /var/run/secrets/git/ssh-privatekey \\",
        "      --known-hosts /var/run/secrets/git/known_hosts"})
final class SyncCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SyncCommand.class);
  /** The component named in the Events the sync records. */
  static final String EVENT_COMPONENT = "kube-devops-sync";
  private final Application application;
  @Spec
  CommandSpec spec;

  // required, but checked in call(): picocli would also demand it of 'sync status'
  @Option(names = "--repo", paramLabel = "URL",
      description = "The policy repository: https://, http://, file://, or SSH (ssh://, "
          + "git@host:path); required.")
  String repo;

  @Option(names = "--branch", paramLabel = "NAME", defaultValue = "main",
      description = "The branch to follow (default: ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--path", paramLabel = "DIR", defaultValue = "policies",
      description = "The directory of the tree holding the policies (default: "
          + "${DEFAULT-VALUE}); a policy without metadata.namespace takes it from its "
          + "namespaces/<ns>/ directory.")
  String path;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s",
      description = "Time between polls (default: ${DEFAULT-VALUE}; 90s, 5m, 1h).")
  String interval;

  @Option(names = "--once", description = "One round, then exit (CI, cron, a first sync).")
  boolean once;

  @Option(names = "--prune", description = "Delete the policies the tree no longer defines "
      + "(inventory objects only, under the rules above).")
  boolean prune;

  @Option(names = "--dry-run", description = "Server-side dry run: say what would be applied "
      + "and pruned; change nothing, store no state.")
  boolean dryRun;

  @Option(names = "--vap", description = "Also apply, beside each DevOpsPolicy, the "
      + "ValidatingAdmissionPolicies and bindings 'policy export-vap' makes of its checks (the "
      + "API server then enforces them itself), labelled, inventoried and pruned like the "
      + "policies; without it, those a --vap sync applied are pruned by --prune. Needs the "
      + "sync's RBAC for admissionregistration.k8s.io (docs/gitops.md).")
  boolean vap;

  @Option(names = "--allow-empty", description = "Let a tree that defines no policies prune "
      + "every policy the sync applied.")
  boolean allowEmpty;

  @Option(names = "--self-heal-every", paramLabel = "N",
      defaultValue = "" + SyncOptions.DEFAULT_HEAL_EVERY,
      description = "On the first round and then every N polls, compare the tree with the "
          + "live policies (one list) and re-apply those changed or deleted in the cluster by "
          + "hand, reporting each (log line, metric, Warning Event DriftCorrected); 0: never "
          + "(default: ${DEFAULT-VALUE}).")
  int selfHealEvery;

  @Mixin
  Clusters clusters;

  @Option(names = "--username", paramLabel = "USER",
      description = "HTTPS user for the repository (with --token-file).")
  String username;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the HTTPS token or password (a mounted Secret); read at "
          + "start.")
  Path tokenFile;

  @Option(names = "--ssh-key", paramLabel = "FILE",
      description = "Private key for an SSH repository, without passphrase (a mounted "
          + "Secret), with --known-hosts; read at start. Neither the user's SSH directory nor "
          + "an SSH agent is ever used.")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "known_hosts file holding the SSH server's host key (ssh-keyscan makes "
          + "it): a host whose key is not in it is refused.")
  Path knownHosts;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where the local copy of the repository is kept (default: a directory "
          + "under java.io.tmpdir named after the repository).")
  Path cacheDir;

  @Mixin
  ComponentOptions component;

  SyncCommand(Application application) {
    this.application = application;
  }

  @Override
  public Integer call() {
    if (repo == null) {
      throw new UserException("--repo is required: the policy repository to sync from");
    }
    Duration every = ComponentOptions.positive("--interval", interval);
    if (selfHealEvery < 0) {
      throw new UserException("--self-heal-every must be 0 (never) or more, not "
          + selfHealEvery);
    }
    component.validate();
    GitSource source = new GitSource(repo, branch, path, auth());
    PrintWriter err = spec.commandLine().getErr();
    List<ClusterSession> sessions = new ArrayList<>();
    // one namespace per synced policy: the exporter's system namespaces never apply
    VapTranslation vaps = vap ? new VapTranslation(application.policyResolver(),
        new VapExporter(application.catalog().environment(), List.of())) : null;
    try (GitMirror mirror = GitMirror.open(cacheDirectory(), source)) {
      for (String context : clusters.contexts()) {
        sessions.add(clusters.open(application, context));
      }
      List<SyncLoop.Target> targets = new ArrayList<>();
      for (ClusterSession session : sessions) {
        String ns = clusters.namespace(session);
        EventRecorder events = dryRun ? null : new EventRecorder(session, EVENT_COMPONENT,
            System.getenv("HOSTNAME"), application.clock());
        targets.add(new SyncLoop.Target(session.context(), new PolicySync(source, mirror,
            application.policyLinter(), session, new SyncStateStore(session.client(), ns),
            ObjectYaml.policies(application.policySchema()), events, vaps)));
      }
      PrometheusRegistry registry = new PrometheusRegistry();
      SyncOptions options = new SyncOptions(prune, dryRun, allowEmpty, selfHealEvery);
      if (once) {
        SyncLoop loop = new SyncLoop(targets, options, new SyncMetrics(registry),
            new Readiness(), SyncLoop.FETCH_RETRY, application.clock(), () -> true);
        return report(loop.round(), err);
      }
      component.configureLogging();
      ClusterSession first = sessions.get(0);
      String ns = clusters.namespace(first);
      ComponentSettings settings = component.settings("sync", ns);
      StopSignal stop = StopSignal.onTermination();
      try (ComponentRuntime runtime = ComponentRuntime.start(settings, first.client(),
          registry)) {
        SyncLoop loop = new SyncLoop(targets, options, new SyncMetrics(registry),
            runtime.readiness(), SyncLoop.FETCH_RETRY, application.clock(), runtime::mayWork);
        LOG.atInfo().addKeyValue("repository", source.describe())
            .addKeyValue("interval", interval)
            .addKeyValue("clusters", String.join(",", targets.stream()
                .map(SyncLoop.Target::cluster).toList()))
            .log("syncing; /healthz, /readyz, /metrics on port {}", runtime.port());
        // the rounds log what they do, one line per object
        runtime.runUntilStopped(stop, () -> {
          loop.round();
          return loop.nextWait(every);
        });
      }
      LOG.info("stopped: the round in flight finished{}",
          component.leaderElection ? " and the Lease was released" : "");
      return ExitCode.OK;
    } catch (IOException e) {
      throw new UserException("cannot open the local copy of " + repo + ": " + e.getMessage(),
          e);
    } finally {
      sessions.forEach(ClusterSession::close);
    }
  }

  private int report(SyncLoop.Round round, PrintWriter err) {
    for (SyncReport report : round.reports()) {
      if (report.upToDate() && report.pruned().isEmpty()) {
        continue;
      }
      report.applied().forEach(result -> err.println(result.describe()));
      report.healed().forEach(result -> err.println(result.describe() + ": "
          + (result.action() == ApplyAction.CREATED ? "deleted" : "changed")
          + " in the cluster, not in Git; healed"));
      report.pruned().forEach(key -> err.println(key + (dryRun ? " would be pruned" : " pruned")));
      report.notPruned().forEach(line -> err.println("not pruned: " + line));
      report.problems().forEach(line -> err.println("warning: " + line));
      report.failed().forEach(f -> err.println("error: " + f.source() + ": " + f.message()));
      err.println("revision " + report.revision() + (report.fullSync() ? " (full sync)" : "")
          + ": " + report.applied().size() + " applied, "
          + (report.healed().isEmpty() ? "" : report.healed().size() + " healed, ")
          + report.pruned().size() + " pruned, " + report.failed().size() + " refused, "
          + report.invalidFiles().size() + " files skipped");
    }
    round.failures().forEach(failure -> err.println("error: " + failure));
    err.flush();
    boolean clean = round.failures().isEmpty()
        && round.reports().stream().allMatch(r -> r.invalidFiles().isEmpty());
    return clean ? ExitCode.OK : ExitCode.ERROR;
  }

  /** The repository's authentication, from the options that go with its kind of URL. */
  private GitAuth auth() {
    if ((username == null) != (tokenFile == null)) {
      throw new UserException("--username and --token-file go together");
    }
    if ((sshKey == null) != (knownHosts == null)) {
      throw new UserException("--ssh-key and --known-hosts go together");
    }
    boolean sshRepository = GitSource.isSsh(repo);
    if (sshRepository && username != null) {
      throw new UserException("--username and --token-file are for HTTPS repositories; the SSH "
          + "repository " + repo + " takes --ssh-key and --known-hosts");
    }
    if (!sshRepository && sshKey != null) {
      throw new UserException("--ssh-key and --known-hosts are for SSH repositories (ssh:// or "
          + "git@host:path), not " + repo);
    }
    if (sshRepository && sshKey == null) {
      throw new UserException("the SSH repository " + repo + " needs --ssh-key and "
          + "--known-hosts");
    }
    if (sshRepository) {
      try {
        return GitAuth.sshKey(sshKey, knownHosts);
      } catch (GitAuthException e) {
        throw new UserException((e.file().equals(sshKey) ? "--ssh-key " : "--known-hosts ")
            + e.getMessage(), e);
      }
    }
    if (username == null) {
      return GitAuth.NONE;
    }
    try {
      return GitAuth.basic(username, Files.readString(tokenFile, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UserException("--token-file " + tokenFile + ": cannot read: "
          + IoProblems.describe(e), e);
    }
  }

  private Path cacheDirectory() {
    if (cacheDir != null) {
      return cacheDir;
    }
    // one directory per repository, so that two syncs on one machine do not share a copy
    String name = UUID.nameUUIDFromBytes(repo.getBytes(StandardCharsets.UTF_8)).toString();
    return Path.of(System.getProperty("java.io.tmpdir"), "kube-devops-sync", name);
  }

  /** The clusters a sync serves and its namespace in them: shared by {@code sync} and status. */
  static final class Clusters {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
        description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the "
            + "in-cluster service account).")
    Path kubeconfig;

    @Option(names = {"--context", "--contexts"}, paramLabel = "NAME", split = ",",
        description = "Kubeconfig context(s), comma-separated (default: the current one). "
            + "The first holds the sync's Lease.")
    List<String> contexts = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
        description = "The sync's namespace in each cluster: its state ConfigMap and Lease "
            + "(default: the context's namespace).")
    String namespace;

    /** The contexts given, or the current one (null). */
    List<String> contexts() {
      return contexts.isEmpty() ? Collections.singletonList(null) : contexts;
    }

    ClusterSession open(Application application, String context) {
      return ClusterSession.open(application.clients(kubeconfig), context);
    }

    String namespace(ClusterSession session) {
      return namespace != null ? namespace : session.defaultNamespace();
    }
  }

  /** {@code kube-devops sync status}. */
  @Command(name = "status",
      description = {"The sync's stored state in each cluster: last applied and last attempted "
          + "revision, how many objects it manages, the files skipped and the last error.", ""},
      footer = {"", "Exit codes: 0 the state was read (also when a cluster's last round "
          + "failed: see lastError); 2 usage error or a cluster could not be reached.",
          "", "Examples:", "  kube-devops sync status -n kube-devops",
          "  kube-devops sync status --contexts prod,staging -o json"})
  static final class Status implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Application application;
    @Spec
    CommandSpec spec;

    @Mixin
    Clusters clusters;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    enum Format { table, json }

    Status(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() throws IOException {
      Format format = OutputFormat.parse(Format.class, output, "--output");
      PrintWriter out = spec.commandLine().getOut();
      ArrayNode json = JSON.createArrayNode();
      String row = "%-20s %-12s %-12s %7s %7s  %s%n";
      if (format == Format.table) {
        out.printf(row, "CLUSTER", "APPLIED", "ATTEMPTED", "OBJECTS", "SKIPPED", "LAST ERROR");
      }
      for (String context : clusters.contexts()) {
        try (ClusterSession session = clusters.open(application, context)) {
          String ns = clusters.namespace(session);
          SyncState state = session.request("reading ConfigMap " + ns + "/"
              + SyncStateStore.NAME, () -> new SyncStateStore(session.client(), ns).load());
          if (format == Format.json) {
            ObjectNode node = JSON.valueToTree(state);
            node.put("cluster", session.context());
            node.put("namespace", ns);
            json.add(node);
          } else {
            out.printf(row, session.context(), shortRevision(state.lastAppliedRevision()),
                shortRevision(state.lastAttemptedRevision()), state.inventory().size(),
                state.invalidFiles().size(),
                state.lastError() == null ? "-" : state.lastError());
          }
        }
      }
      if (format == Format.json) {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
      }
      out.flush();
      return ExitCode.OK;
    }

    private static String shortRevision(String revision) {
      return revision == null ? "-" : revision.substring(0, Math.min(12, revision.length()));
    }
  }
}
