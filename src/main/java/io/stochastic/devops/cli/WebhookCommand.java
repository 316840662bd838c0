package io.stochastic.devops.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.input.RelatedObjects;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.remediation.Remediator;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ApplyResult;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.CrdInstaller;
import io.stochastic.devops.kube.LivePolicies;
import io.stochastic.devops.kube.ObjectYaml;
import io.stochastic.devops.kube.ServerSideApplier;
import io.stochastic.devops.metrics.WebhookMetrics;
import io.stochastic.devops.runtime.ComponentRuntime;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.runtime.StopSignal;
import io.stochastic.devops.webhook.AdmissionReviewer;
import io.stochastic.devops.webhook.CertificateAuthority;
import io.stochastic.devops.webhook.PolicyInformer;
import io.stochastic.devops.webhook.ServingCertificate;
import io.stochastic.devops.webhook.WebhookConfigurations;
import io.stochastic.devops.webhook.WebhookServer;
import io.stochastic.devops.webhook.WebhookSettings;
import io.stochastic.devops.webhook.WebhookWarmUp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kube-devops webhook serve|cert-generate|install-config}: the admission webhook. */
@Command(name = "webhook", description = "The admission webhook: validate, warn and mutate "
    + "workloads as they are created or updated, with the same engine and policies as every "
    + "other command (docs/webhook.md).",
    subcommands = {WebhookCommand.Serve.class, WebhookCommand.CertGenerate.class,
        WebhookCommand.InstallConfig.class})
final class WebhookCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: serve, "
        + "cert-generate or install-config");
  }

  @Command(name = "serve",
      description = {"Serve the admission webhook over HTTPS: POST /validate and /mutate take "
          + "an AdmissionReview v1. Policies come from an informer on the cluster's "
          + "DevOpsPolicies (no API call per review); a namespace without one is judged by "
          + "--default-bundle. In enforce mode a finding at or above the policy's "
          + "admission.denySeverity denies (on UPDATE only what the change makes worse); "
          + "otherwise findings come back as warnings. /mutate adds what the policy's "
          + "spec.remediation supplies. The certificate files are read again when they change.",
          "Runs until SIGTERM, serving /healthz, /readyz and /metrics on --metrics-port. "
              + "Replicas elect no leader (--leader-election is ignored): every replica serves.",
          ""},
      footer = {"", "Exit codes: 0 after SIGTERM; 2 usage error, unreadable certificate or key, "
          + "a port in use, or the cluster could not be reached at start.",
          "", "Examples:",
          "  kube-devops webhook serve --cert /tls/tls.crt --key /tls/tls.key",
          "  kube-devops webhook serve --cert tls.crt --key tls.key --default-bundle none "
              + "--fail-closed"})
  static final class Serve implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ClusterOptions cluster;
    @Mixin
    ComponentOptions runtimeOptions;
    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + WebhookSettings.DEFAULT_PORT,
        description = "HTTPS port of /validate and /mutate (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
        description = "Address the HTTPS port listens on (default: ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--cert", paramLabel = "FILE", required = true,
        description = "PEM certificate (chain) to serve; read again when it changes.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", required = true,
        description = "PEM private key of --cert (PKCS#8, PKCS#1 or SEC1, unencrypted).")
    Path key;

    @Option(names = "--default-bundle", paramLabel = "NAME|none", defaultValue = "baseline",
        description = "Bundle judging namespaces without a DevOpsPolicy, or none to admit "
            + "their objects unjudged (default: ${DEFAULT-VALUE}).")
    String defaultBundle;

    @Option(names = "--fail-closed",
        description = "Deny a review that fails inside or exceeds --review-timeout, instead of "
            + "admitting it with a warning (fail-open, the default).")
    boolean failClosed;

    @Option(names = "--review-timeout", paramLabel = "DURATION", defaultValue = "2s",
        description = "Time budget of one review, below the configuration's timeoutSeconds "
            + "(default: ${DEFAULT-VALUE}).")
    String reviewTimeout;

    @Option(names = "--max-concurrency", paramLabel = "N",
        description = "Reviews judged at once (default: the number of CPUs, at least 2); "
            + "256 more may wait, beyond that a review is answered by the failure mode.")
    Integer maxConcurrency;

    @Option(names = "--max-connections", paramLabel = "N",
        defaultValue = "" + WebhookSettings.DEFAULT_MAX_CONNECTIONS,
        description = "Connections open at once; one beyond it is closed at once, so that the "
            + "API server applies the failurePolicy instead of waiting for its timeout "
            + "(default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--warm-up-reviews", paramLabel = "N", defaultValue = "2000",
        description = "Reviews judged in-process (restricted bundle, enforce mode, validate and "
            + "mutate) before /readyz turns ready, a tenth as many TLS handshakes in memory and "
            + "a quarter as many reviews over HTTPS on loopback, at most 30 s in all, so that "
            + "the JIT has compiled the hot paths before traffic arrives; 0 skips it "
            + "(default: ${DEFAULT-VALUE}).")
    int warmUpReviews;

    Serve(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      runtimeOptions.validate();
      if (port < 0 || port > 65535) {
        throw new UserException("--port must be 0-65535, not " + port);
      }
      Duration budget = MultiClusterCommand.parseDuration(reviewTimeout);
      if (budget.isZero() || budget.isNegative()) {
        throw new UserException("--review-timeout must be positive, not " + reviewTimeout);
      }
      if (maxConnections < 1) {
        throw new UserException("--max-connections must be at least 1, not " + maxConnections);
      }
      if (warmUpReviews < 0) {
        throw new UserException("--warm-up-reviews must be 0 or more, not " + warmUpReviews);
      }
      if (maxConcurrency != null && maxConcurrency < 1) {
        throw new UserException("--max-concurrency must be at least 1, not " + maxConcurrency);
      }
      boolean judgeUngoverned = !"none".equals(defaultBundle);
      EffectivePolicy fallback = PolicyOptions.bundle(application,
          judgeUngoverned ? defaultBundle : null);
      WebhookSettings defaults = WebhookSettings.defaults();
      WebhookSettings settings = defaults.withPort(port).withBindAddress(bindAddress)
          .withFailClosed(failClosed).withTimeBudget(budget)
          .withLimits(defaults.maxBodyBytes(),
              maxConcurrency == null ? defaults.concurrency() : maxConcurrency,
              defaults.queue())
          .withConnectionLimits(maxConnections, defaults.bufferedBodyBytes(),
              defaults.idleTimeout());
      PrometheusRegistry registry = new PrometheusRegistry();
      WebhookMetrics metrics = new WebhookMetrics(registry);
      ServingCertificate serving;
      try {
        serving = new ServingCertificate(cert, key, application.clock(),
            metrics::certificateReloaded);
      } catch (IllegalArgumentException e) {
        throw new UserException("--cert/--key: " + e.getMessage());
      }
      engineOptions.kubernetesVersion(); // a bad version is a usage error before any request
      try (ClusterSession session = cluster.open(application)) {
        // one list first: an unreachable cluster, a missing CRD or RBAC is one line, exit 2
        new LivePolicies(session).list(null);
        runtimeOptions.configureLogging();
        ComponentSettings component = runtimeOptions.settings("webhook",
            session.defaultNamespace()).withLeaderElection(false);
        StopSignal stop = StopSignal.onTermination();
        try (ComponentRuntime runtime = ComponentRuntime.start(component, session.client(),
                registry);
            PolicyInformer policies = PolicyInformer.start(session.client(),
                application.resolvedPolicies(), fallback, judgeUngoverned)) {
          runtime.readiness().notReady("policies", "informer on DevOpsPolicies not synced yet");
          while (!policies.hasSynced()) {
            if (stop.await(Duration.ofMillis(100))) {
              return ExitCode.OK;
            }
          }
          Engine engine = application.engine(engineOptions.engineSettings(session));
          if (warmUpReviews > 0) {
            runtime.readiness().notReady("warm-up", "running built-in reviews first");
            WebhookWarmUp.Result warm = WebhookWarmUp.run(engine,
                application.policyResolver().bundle("restricted"), serving.sslContext(),
                serving.certificate(), warmUpReviews, Duration.ofSeconds(30));
            LOG.info("warmed up in {} ms: {} built-in reviews judged, {} TLS handshakes in "
                + "memory, {} reviews over HTTPS on loopback", warm.took().toMillis(),
                warm.judged(), warm.handshakes(), warm.overHttps());
            runtime.readiness().ready("warm-up");
          }
          AdmissionReviewer reviewer = new AdmissionReviewer(engine, policies,
              RelatedObjects.NONE, new Remediator());
          try (WebhookServer server = start(settings, reviewer, serving, metrics)) {
            runtime.readiness().ready("policies");
            LOG.atInfo().addKeyValue("cluster", session.context())
                .addKeyValue("defaultBundle", defaultBundle)
                .addKeyValue("failureMode", failClosed ? "fail-closed" : "fail-open")
                .log("serving /validate and /mutate on HTTPS port {}; /healthz, /readyz, "
                    + "/metrics on port {}", server.port(), runtime.port());
            while (!stop.await(Duration.ofHours(1))) {
              // the reviews run on the server's threads; this one only waits for the stop
            }
          }
        }
      }
      LOG.info("stopped: the reviews in flight were answered");
      return ExitCode.OK;
    }

    private static WebhookServer start(WebhookSettings settings, AdmissionReviewer reviewer,
        ServingCertificate serving, WebhookMetrics metrics) {
      try {
        return WebhookServer.start(settings, reviewer, serving.sslContext(), metrics);
      } catch (UncheckedIOException e) {
        throw new UserException(e.getMessage());
      }
    }
  }

  @Command(name = "cert-generate",
      description = {"Create a private CA and a serving certificate for the webhook's Service "
          + "(ECDSA P-256; the CA valid 10 years, the certificate 1 year, with the names "
          + "NAME, NAME.NS, NAME.NS.svc and NAME.NS.svc.cluster.local). Writes ca.crt, ca.key, "
          + "tls.crt and tls.key into --out, ready for a kubernetes.io/tls Secret; ca.crt is "
          + "the --ca-bundle-path of install-config.", ""},
      footer = {"", "Examples:",
          "  kube-devops webhook cert-generate --service kube-devops-webhook -n kube-devops "
              + "--out certs",
          "  kubectl -n kube-devops create secret tls kube-devops-webhook-tls "
              + "--cert certs/tls.crt --key certs/tls.key"})
  static final class CertGenerate implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;

    @Option(names = "--service", paramLabel = "NAME", required = true,
        description = "The webhook's Service.")
    String service;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", required = true,
        description = "The Service's namespace.")
    String namespace;

    @Option(names = "--out", paramLabel = "DIR", required = true,
        description = "Directory to write the files into (created if needed).")
    Path out;

    @Option(names = "--ip-address", paramLabel = "IP",
        description = "An IP address the certificate is also valid for (repeatable; for a "
            + "webhook reached by URL, such as https://127.0.0.1:8443 in a test).")
    List<String> ipAddresses = new ArrayList<>();

    CertGenerate(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      for (String ip : ipAddresses) {
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
          throw new UserException("--ip-address: not an IP address: " + ip);
        }
      }
      if (!service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
          || !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
        throw new UserException("--service and --namespace must be DNS labels (lower-case "
            + "letters, digits, '-'), not '" + service + "', '" + namespace + "'");
      }
      var now = application.clock().instant();
      CertificateAuthority ca = CertificateAuthority.create(service + "." + namespace
          + " webhook CA", now);
      try {
        ca.write(out, ca.issue(CertificateAuthority.serviceNames(service, namespace),
            ipAddresses, now));
      } catch (UncheckedIOException e) {
        throw new UserException(e.getMessage());
      }
      PrintWriter writer = spec.commandLine().getOut();
      for (String file : List.of(CertificateAuthority.CA_CERT, CertificateAuthority.CA_KEY,
          CertificateAuthority.TLS_CERT, CertificateAuthority.TLS_KEY)) {
        writer.println("wrote " + out.resolve(file));
      }
      writer.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "install-config",
      description = {"Apply (server-side, field manager kube-devops) the "
          + "ValidatingWebhookConfiguration and MutatingWebhookConfiguration "
          + WebhookConfigurations.NAME + ": pods, ReplicationControllers and the apps and "
          + "batch workload kinds on CREATE and UPDATE, every namespace but the system ones "
          + "(and the Service's), sideEffects None, timeoutSeconds 5, "
          + "admissionReviewVersions [v1].", ""},
      footer = {"", "Examples:",
          "  kube-devops webhook install-config --ca-bundle-path certs/ca.crt "
              + "--service kube-devops-webhook -n kube-devops",
          "  kube-devops webhook install-config --ca-bundle-path ca.crt "
              + "--url https://127.0.0.1:8443 --failure-policy Fail --dry-run"})
  static final class InstallConfig implements Callable<Integer> {
    private final Application application;
    @Spec
    CommandSpec spec;
    @Mixin
    ClusterOptions cluster;
    @Mixin
    SystemNamespaceOptions systemNamespaces;

    @Option(names = "--ca-bundle-path", paramLabel = "FILE", required = true,
        description = "PEM of the CA that signed the webhook's certificate (cert-generate's "
            + "ca.crt).")
    Path caBundlePath;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @ArgGroup(exclusive = false)
      ServiceTarget service;

      @Option(names = "--url", paramLabel = "URL",
          description = "Call the webhook at this https:// base URL instead of a Service.")
      String url;
    }

    static final class ServiceTarget {
      @Option(names = "--service", paramLabel = "NAME", required = true,
          description = "The webhook's Service.")
      String name;

      @Option(names = {"-n", "--namespace"}, paramLabel = "NS", required = true,
          description = "The Service's namespace.")
      String namespace;

      @Option(names = "--service-port", paramLabel = "PORT", defaultValue = "443",
          description = "The Service's port (default: ${DEFAULT-VALUE}).")
      int port;
    }

    @Option(names = "--failure-policy", paramLabel = "Ignore|Fail", defaultValue = "Ignore",
        description = "What the API server does when the webhook cannot be reached or "
            + "answers no review (default: ${DEFAULT-VALUE}: admit).")
    String failurePolicy;

    @Option(names = "--dry-run",
        description = "Print the configurations as YAML instead; contact no cluster.")
    boolean dryRun;

    InstallConfig(Application application) {
      this.application = application;
    }

    @Override
    public Integer call() {
      if (!failurePolicy.equals("Ignore") && !failurePolicy.equals("Fail")) {
        throw new UserException("--failure-policy must be Ignore or Fail, not " + failurePolicy);
      }
      byte[] caBundle;
      try {
        caBundle = Files.readAllBytes(caBundlePath);
        ServingCertificate.readChain(caBundlePath);
      } catch (IOException e) {
        throw new UserException("--ca-bundle-path: cannot read " + caBundlePath);
      } catch (IllegalArgumentException e) {
        throw new UserException("--ca-bundle-path: " + e.getMessage());
      }
      WebhookConfigurations.Target where;
      if (target.url != null) {
        URI uri;
        try {
          uri = URI.create(target.url);
        } catch (IllegalArgumentException e) {
          throw new UserException("--url: not a URL: " + target.url);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new UserException("--url must be an https:// URL, not " + target.url);
        }
        where = new WebhookConfigurations.Url(target.url);
      } else {
        where = new WebhookConfigurations.Service(target.service.name, target.service.namespace,
            target.service.port);
      }
      List<Map<String, Object>> configurations = WebhookConfigurations.build(where, caBundle,
          failurePolicy, systemNamespaces.engineSettings().systemNamespaces());
      PrintWriter out = spec.commandLine().getOut();
      if (dryRun) {
        ObjectYaml yaml = ObjectYaml.asIs();
        for (Map<String, Object> configuration : configurations) {
          out.print("---\n" + yaml.write(configuration));
        }
        out.flush();
        return ExitCode.OK;
      }
      try (ClusterSession session = cluster.open(application)) {
        List<ApplyResult> results = new ArrayList<>();
        for (Map<String, Object> configuration : configurations) {
          GenericKubernetesResource object = Serialization.jsonMapper()
              .convertValue(configuration, GenericKubernetesResource.class);
          var resource = "ValidatingWebhookConfiguration".equals(configuration.get("kind"))
              ? ApiResources.VALIDATING_WEBHOOK_CONFIGURATION
              : ApiResources.MUTATING_WEBHOOK_CONFIGURATION;
          results.add(new ServerSideApplier(session, resource, CrdInstaller.FIELD_MANAGER,
              ObjectYaml.asIs()).apply(object, null, "webhook install-config", false, true));
        }
        ApplyOutput.print(results, out);
      }
      out.flush();
      return ExitCode.OK;
    }
  }
}
