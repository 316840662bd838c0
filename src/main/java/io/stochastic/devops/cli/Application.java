package io.stochastic.devops.cli;

import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.check.CelEnvironment;
import io.stochastic.devops.engine.check.CheckCatalog;
import io.stochastic.devops.engine.policy.BundleRepository;
import io.stochastic.devops.engine.policy.PolicyResolver;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import io.stochastic.devops.kube.ClientFactory;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The composition root: builds the engine stack once, lazily (a command that needs no engine,
 * like {@code version}, pays nothing for it), and hands its parts to commands through their
 * constructors. Tests build one with their own clock, stdin and terminal.
 */
public final class Application {
  private final Clock clock;
  private final InputStream stdin;
  private final Terminal terminal;
  private final BuildInfo buildInfo;
  private CelEnvironment celEnvironment;
  private CheckCatalog catalog;
  private BundleRepository bundles;
  private PolicyResolver resolver;
  private ResolvedPolicies resolvedPolicies;
  private PolicySchema policySchema;
  private PolicyLinter linter;
  /** The catalog and the bundles load independently, so each has its own lock. */
  private final Object catalogLock = new Object();
  private final Object bundlesLock = new Object();

  public Application(Clock clock, InputStream stdin, Terminal terminal) {
    this.clock = clock;
    this.stdin = stdin;
    this.terminal = terminal;
    this.buildInfo = BuildInfo.load();
  }

  public static Application forProcess() {
    return new Application(Clock.systemUTC(), System.in, Terminal.detect());
  }

  public Clock clock() {
    return clock;
  }

  public InputStream stdin() {
    return stdin;
  }

  public Terminal terminal() {
    return terminal;
  }

  public BuildInfo buildInfo() {
    return buildInfo;
  }

  public CheckCatalog catalog() {
    synchronized (catalogLock) {
      if (catalog == null) {
        celEnvironment = new CelEnvironment();
        catalog = CheckCatalog.builtIn(celEnvironment);
      }
      return catalog;
    }
  }

  public BundleRepository bundles() {
    synchronized (bundlesLock) {
      if (bundles == null) {
        bundles = BundleRepository.builtIn();
      }
      return bundles;
    }
  }

  public synchronized PolicyResolver policyResolver() {
    if (resolver == null) {
      resolver = new PolicyResolver(catalog(), bundles());
    }
    return resolver;
  }

  /** Resolved DevOpsPolicies, cached by uid and generation. */
  public synchronized ResolvedPolicies resolvedPolicies() {
    if (resolvedPolicies == null) {
      resolvedPolicies = new ResolvedPolicies(policyResolver());
    }
    return resolvedPolicies;
  }

  /** The DevOpsPolicy schema of the CRD the jar carries. */
  public synchronized PolicySchema policySchema() {
    if (policySchema == null) {
      policySchema = PolicySchema.devOpsPolicy();
    }
    return policySchema;
  }

  public synchronized PolicyLinter policyLinter() {
    if (linter == null) {
      linter = new PolicyLinter(policySchema(), policyResolver());
    }
    return linter;
  }

  public Engine engine(EngineSettings settings) {
    return new Engine(settings, clock);
  }

  public ClientFactory clients(Path kubeconfig) {
    return new ClientFactory(kubeconfig);
  }
}
