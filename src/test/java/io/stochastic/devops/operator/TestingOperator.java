package io.stochastic.devops.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator of {@code reconcile}, wired as the command wires it, running in-process on one
 * namespace of the test API server without leader election; its metrics read from its registry.
 */
final class TestingOperator implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final PrometheusRegistry registry;
  private final PolicyOperator operator;

  private TestingOperator(KubernetesClient client, PrometheusRegistry registry,
      PolicyOperator operator) {
    this.client = client;
    this.registry = registry;
    this.operator = operator;
  }

  /**
   * @param dryRun the enforcer's {@code --dry-run}
   * @param systemNamespaces the engine's system namespaces
   */
  static TestingOperator start(KubernetesClient client, String namespace, Duration resync,
      boolean dryRun, Set<String> systemNamespaces) {
    PrometheusRegistry registry = new PrometheusRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    Clock clock = Clock.systemUTC();
    OperatorSettings settings = OperatorSettings.defaults()
        .withNamespaces(Set.of(namespace)).withResync(resync);
    Engine engine = new Engine(new EngineSettings(systemNamespaces), clock);
    ClusterSession session = ClusterSession.over(client, "test");
    EventRecorder events = new EventRecorder(session, DevOpsPolicyReconciler.EVENT_COMPONENT,
        "test", clock);
    DevOpsPolicyReconciler reconciler = new DevOpsPolicyReconciler(engine,
        new ResolvedPolicies(TestUtils.resolver()), TestUtils.bundle("baseline"),
        DevOpsPolicyReconciler.resourcesFor(TestUtils.catalog().definitions()),
        settings, metrics, events,
        new WorkloadEnforcer(session, engine, dryRun, metrics, events, clock), clock);
    PolicyOperator operator = PolicyOperator.start(client, reconciler, settings, metrics,
        ComponentSettings.defaults("operator", namespace).withLeaderElection(false), () -> { });
    return new TestingOperator(client, registry, operator);
  }

  static TestingOperator start(KubernetesClient client, String namespace, Duration resync) {
    return start(client, namespace, resync, false, EngineSettings.DEFAULT_SYSTEM_NAMESPACES);
  }

  /** The value of an unlabelled counter, or of the series {@code name{labels}}; 0 if absent. */
  double counter(String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$")
        .matcher(exposition());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  String exposition() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Policies go while the operator runs, so that their finalizer does not hold the namespace. */
  @Override
  public void close() {
    client.resources(DevOpsPolicy.class).delete();
    await().atMost(PATIENCE).until(() -> client.resources(DevOpsPolicy.class).list().getItems()
        .isEmpty());
    operator.close();
  }
}
