package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.deploy.RbacModel.ComponentRbac;
import io.stochastic.devops.engine.Engine;
import io.stochastic.devops.engine.EngineSettings;
import io.stochastic.devops.engine.policy.ResolvedPolicies;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.EventRecorder;
import io.stochastic.devops.metrics.OperatorMetrics;
import io.stochastic.devops.operator.DevOpsPolicyReconciler;
import io.stochastic.devops.operator.OperatorSettings;
import io.stochastic.devops.operator.PolicyOperator;
import io.stochastic.devops.operator.WorkloadEnforcer;
import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.FieldManagers;
import io.stochastic.devops.runtime.ComponentSettings;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import io.stochastic.devops.v1.DevOpsPolicy;
import io.stochastic.devops.v1.DevOpsPolicyStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator runs under exactly the RBAC {@code kube-devops deploy generate-rbac --component
 * operator} generates: the generated objects (account, ClusterRole, ClusterRoleBinding, Role,
 * RoleBinding for the test's namespace) are applied, and the operator — JOSDK with leader
 * election on — runs with a client impersonating its ServiceAccount. A policy gets its status,
 * the ViolationsFound Event is recorded, enforce mode patches the Deployment, the Lease is taken
 * and released, the finalizer comes
 * off a deleted policy, and nothing is refused (no 403 logged, no failed reconcile). With one
 * rule taken away the same run fails visibly, so the role is what is exercised.
 *
 * <p>The ClusterRole and ClusterRoleBinding get a name unique to the test (deleted after it);
 * their rules, role reference and subjects are the generator's. The operator watches only the
 * test's namespace, so that it puts no finalizer on other tests' policies on the shared server.
 */
@IntegrationTest
class OperatorRbacIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String IDENTITY = "operator-rbac-it";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final OperatorMetrics metrics = new OperatorMetrics(registry);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private TestingNamespace ns;
  private KubernetesClient admin;
  private KubernetesClient operatorClient;
  private PolicyOperator operator;
  private String clusterName;

  @BeforeEach
  void captureLogs(TestingNamespace namespace) {
    ns = namespace;
    admin = namespace.client();
    clusterName = "kube-devops-operator-" + namespace.name();
    logs.start();
    root().addAppender(logs);
  }

  private static ch.qos.logback.classic.Logger root() {
    return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Policies go while the operator runs, so that their finalizer does not hold the namespace. */
  @AfterEach
  void stop() {
    root().detachAppender(logs);
    try {
      admin.resources(DevOpsPolicy.class).delete();
      try {
        await().atMost(PATIENCE).until(() -> admin.resources(DevOpsPolicy.class).list().getItems().isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // the run under test could not remove its finalizer: take it off, or the namespace hangs
        admin.resources(DevOpsPolicy.class).list().getItems().forEach(p -> admin.resources(DevOpsPolicy.class)
            .withName(p.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}"));
      }
    } finally {
      if (operator != null) {
        operator.close();
      }
      admin.rbac().clusterRoleBindings().withName(clusterName).delete();
      admin.rbac().clusterRoles().withName(clusterName).delete();
    }
  }

  /** The generated operator RBAC for the test's namespace. */
  private static ComponentRbac generated() {
    return new RbacModel(TestUtils.catalog().definitions()).of(Component.OPERATOR);
  }

  /** Applies {@code rbac} for the test's namespace and returns a client acting as the account. */
  private void install(ComponentRbac rbac) {
    for (HasMetadata object : new RbacManifests(ns.name(), "test").objects(rbac)) {
      if (object instanceof ClusterRole role) {
        role.getMetadata().setName(clusterName);
      } else if (object instanceof ClusterRoleBinding binding) {
        binding.getMetadata().setName(clusterName);
        binding.getRoleRef().setName(clusterName);
      }
      admin.resource(object).create();
    }
    String account = Component.OPERATOR.accountName();
    operatorClient = ns.clientAs("system:serviceaccount:" + ns.name() + ":" + account,
        "system:serviceaccounts", "system:serviceaccounts:" + ns.name());
    // The authorizer sees new bindings through its informers: wait until the roles count.
    await().atMost(Duration.ofSeconds(10)).until(() -> allowed("list", "", "pods")
        && allowed("create", "coordination.k8s.io", "leases"));
  }

  private boolean allowed(String verb, String group, String resource) {
    return operatorClient.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
        .withNewSpec().withResourceAttributes(new ResourceAttributesBuilder().withVerb(verb).withGroup(group)
            .withResource(resource).withNamespace(ns.name()).build()).endSpec().build())
        .getStatus().getAllowed();
  }

  /** JOSDK with leader election on the Lease kube-devops-operator, as the account. */
  private void startOperator() {
    Clock clock = Clock.systemUTC();
    OperatorSettings settings = OperatorSettings.defaults().withNamespaces(Set.of(ns.name()))
        .withResync(Duration.ofSeconds(30));
    Engine engine = new Engine(EngineSettings.DEFAULT, clock);
    ClusterSession session = ClusterSession.over(operatorClient, "test");
    EventRecorder events = new EventRecorder(session, DevOpsPolicyReconciler.EVENT_COMPONENT,
        IDENTITY, clock);
    DevOpsPolicyReconciler reconciler = new DevOpsPolicyReconciler(engine,
        new ResolvedPolicies(TestUtils.resolver()), TestUtils.bundle("baseline"),
        DevOpsPolicyReconciler.resourcesFor(TestUtils.catalog().definitions()), settings, metrics,
        events, new WorkloadEnforcer(session, engine, false, metrics, events, clock), clock);
    operator = PolicyOperator.start(operatorClient, reconciler, settings, metrics,
        ComponentSettings.defaults("operator", ns.name()).withIdentity(IDENTITY), () -> { });
  }

  private void createPolicyAndWorkload() {
    TestingObjects.deployment(admin, "nginx:latest");
    TestingObjects.create(admin, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop}
        spec:
          bundle: baseline
          enforcementMode: enforce
          remediation: {livenessProbe: {tcpSocket: {port: 8080}}}
        """);
  }

  private DevOpsPolicyStatus status() {
    DevOpsPolicy policy = admin.resources(DevOpsPolicy.class).withName("shop").get();
    return policy == null ? null : policy.getStatus();
  }

  private DevOpsPolicyStatus awaitStatus(Predicate<DevOpsPolicyStatus> test) {
    return await().atMost(PATIENCE).until(this::status, s -> s != null && test.test(s));
  }

  private double failedReconciles() {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot instanceof CounterSnapshot counter
          && (snapshot.getMetadata().getPrometheusName() + "_total").equals(OperatorMetrics.RECONCILE_ERRORS_TOTAL)) {
        return counter.getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
      }
    }
    return 0;
  }

  /** Every captured log line that says a request was refused. */
  private List<String> refusals() {
    List<String> found = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      StringBuilder text = new StringBuilder(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append(" | ").append(t.getMessage());
      }
      String line = text.toString();
      if (line.contains("403") || line.toLowerCase(java.util.Locale.ROOT).contains("forbidden")) {
        found.add(event.getLoggerName() + ": " + line);
      }
    }
    return found;
  }

  @Test
  void theOperatorDoesItsWholeJobUnderTheGeneratedRole() {
    install(generated());
    startOperator();
    createPolicyAndWorkload();

    DevOpsPolicyStatus status = awaitStatus(s -> s.getEvaluatedWorkloads() != null && s.getEvaluatedWorkloads() == 1);
    assertThat(status.getViolations()).isPositive();
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(admin.v1().events().inNamespace(ns.name()).list()
        .getItems()).filteredOn(e -> DevOpsPolicyReconciler.EVENT_COMPONENT.equals(e.getReportingComponent()))
        .extracting(Event::getReason).contains("ViolationsFound"));
    Lease lease = admin.leases().inNamespace(ns.name()).withName("kube-devops-operator").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(IDENTITY);
    assertThat(admin.resources(DevOpsPolicy.class).withName("shop").get().getMetadata().getFinalizers())
        .as("the finalizer JOSDK adds").containsExactly("devopspolicies.devops.stochastic.io/finalizer");
    // enforcement, as the account: the live Deployment read, dry-run applied, then patched
    await().atMost(PATIENCE).until(() -> admin.apps().deployments().withName("web").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe() != null);
    assertThat(admin.apps().deployments().withName("web").get().getMetadata().getAnnotations())
        .containsEntry(Annotations.PATCHED_BY, FieldManagers.ENFORCER);

    // the cleanup removes the finalizer, as the account
    admin.resources(DevOpsPolicy.class).withName("shop").delete();
    await().atMost(PATIENCE).until(() -> admin.resources(DevOpsPolicy.class).withName("shop").get() == null);
    // released on close, with an update: the duration drops to 1 s for a follower to take over
    operator.close();
    assertThat(admin.leases().inNamespace(ns.name()).withName("kube-devops-operator").get().getSpec()
        .getLeaseDurationSeconds()).isEqualTo(1);

    assertThat(refusals()).as("refused requests").isEmpty();
    assertThat(failedReconciles()).as("failed reconciles").isZero();
  }

  @Test
  void withoutPatchOnTheStatusNoStatusIsWrittenAndTheRefusalShows() {
    ComponentRbac all = generated();
    List<RbacRule> fewer = all.rules().stream().filter(r -> !r.resources().contains("devopspolicies/status")).toList();
    assertThat(fewer).hasSize(all.rules().size() - 1);
    install(new ComponentRbac(Component.OPERATOR, fewer));
    startOperator();
    createPolicyAndWorkload();

    await().atMost(PATIENCE).until(() -> failedReconciles() >= 1);
    assertThat(status()).as("no status without patch on devopspolicies/status").isNull();
    await().atMost(PATIENCE).until(() -> !refusals().isEmpty());
    assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("devopspolicies/status")
        .contains("forbidden"));
  }

  @Test
  void withoutUpdateOnItsLeaseTheOperatorRefusesToStart() {
    // JOSDK checks its Lease rules before it competes: a missing verb is a clear start-up error
    ComponentRbac all = generated();
    List<RbacRule> fewer = all.rules().stream().map(r -> !r.resources().contains("leases") || r.resourceNames().isEmpty()
        ? r : new RbacRule(r.scope(), r.apiGroup(), r.resources(), r.resourceNames(),
            r.verbs().stream().filter(v -> !v.equals("update")).toList(), r.why())).toList();
    install(new ComponentRbac(Component.OPERATOR, fewer));

    assertThatThrownBy(this::startOperator).hasStackTraceContaining("No permission to lease");
    operator = null;
  }
}
