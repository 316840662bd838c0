package io.stochastic.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The messages of the checks whose {@code value} says more than pass or fail, on their own
 * fixtures (under the conformance policy, on the tests' clock): the table test
 * {@link CheckFixturesTest} holds only the verdicts.
 */
class CheckMessagesTest {
  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource(delimiter = '|', textBlock = """
      missingNetworkPolicy | failure.deployment_without_policy.yaml | Deployment web has no NetworkPolicy selecting its pods for ingress or egress traffic
      missingNetworkPolicy | failure.default_deny_ingress_only.yaml | Deployment web has no NetworkPolicy selecting its pods for egress traffic
      missingNetworkPolicy | failure.default_deny_egress_only.yaml | Deployment web has no NetworkPolicy selecting its pods for ingress traffic
      missingNetworkPolicy | failure.policytypes_defaulted_ingress_only.yaml | Deployment web has no NetworkPolicy selecting its pods for egress traffic
      missingNetworkPolicy | failure.default_deny_wrong_selector.yaml | Deployment web has no NetworkPolicy selecting its pods for ingress or egress traffic
      sensitiveContainerEnvVar | failure.db-password.yaml | Container web sets credentials in plain text in environment variable DB_PASSWORD
      sensitiveConfigmapContent | failure.password.yaml | ConfigMap api-settings looks like it holds credentials in key password
      pendingTooLong | failure.yaml | Pod worker-0 has been Pending for 1h (more than 5m)
      pendingTooLong | failure.days.yaml | Pod worker-1 has been Pending for 10d 21h (more than 5m)
      pendingTooLong | failure.minutes.yaml | Pod worker-2 has been Pending for 6m 40s (more than 5m)
      resourceRange | failure.cpu-below.yaml | Container web has CPU limit 50m below the minimum 100m
      resourceRange | failure.memory-above-cpu-in-range.yaml | Container cache has memory limit 8Gi above the maximum 6G
      resourceRange | failure.both-out-of-range.yaml | Container batch has CPU limit 4 above the maximum 2 and memory limit 64Mi below the minimum 100Mi
      nodePortService | failure.nodeport.yaml | Service shop is of type NodePort (node ports 30080, one allocated by the cluster)
      loadBalancerService | failure.public.yaml | Service shop is of type LoadBalancer
      serviceExternalIPs | failure.external_ips.yaml | Service shop sets externalIPs 203.0.113.10, 203.0.113.11
      ingressHostMissingOrWildcard | failure.no_host.yaml | Ingress shop is not limited to its own host names: a rule without host
      ingressHostMissingOrWildcard | failure.wildcard.yaml | Ingress shop is not limited to its own host names: wildcard host *.example.com
      ingressHostMissingOrWildcard | failure.default_backend.yaml | Ingress catch-all is not limited to its own host names: a default backend
      rbacWildcardPermissions | failure.verbs.yaml | Role deployer grants wildcards: resources deployments verbs *
      rbacSecretsReadable | failure.list.yaml | ClusterRole backup can read Secrets without naming them: resources configmaps,secrets verbs list
      rbacPrivilegeEscalationVerbs | failure.bind.yaml | ClusterRole team-onboarding grants privilege escalation: resources clusterroles verbs bind
      rbacPrivilegeEscalationVerbs | failure.impersonate.yaml | ClusterRole support grants privilege escalation: resources users,groups verbs impersonate
      rbacNodesProxy | failure.get.yaml | ClusterRole prometheus grants the kubelet API through nodes/proxy (resources nodes,nodes/proxy,nodes/metrics verbs get,list,watch)
      rbacBindingToEveryone | failure.unauthenticated.yaml | ClusterRoleBinding status-page grants ClusterRole view to Group system:unauthenticated, User system:anonymous
      rbacBindingToEveryone | failure.authenticated.yaml | RoleBinding config-readers grants Role config-reader to Group system:authenticated
      runAsRootGroup | failure.fs-group.yaml | Deployment web runs with the root group: fsGroup 0
      runAsRootGroup | failure.container-group.yaml | Pod job runs with the root group: supplementalGroups 0, container main runAsGroup 0
      resourceRequestsNotEqualLimits | failure.requests-below-limits.yaml | Container api is not Guaranteed QoS: CPU request 250m differs from its limit 500m, memory request 256Mi differs from its limit 512Mi
      resourceRequestsNotEqualLimits | failure.no-memory-limit.yaml | Container worker is not Guaranteed QoS: no memory limit
      resourceRequestsNotEqualLimits | failure.no-resources.yaml | Container web is not Guaranteed QoS: no CPU limit, no memory limit
      containerPortNameMissing | failure.yaml | Container api declares unnamed ports: 9090/TCP
      containerPortsDuplicated | failure.name-across-containers.yaml | Deployment api declares ports more than once: api (metrics 9090/TCP), proxy (metrics 15090/TCP)
      containerPortsDuplicated | failure.same-port-twice.yaml | Pod web declares ports more than once: web (http 8080/TCP, web 8080/TCP)
      containerPortsDuplicated | failure.sidecar.yaml | Pod web declares ports more than once: web (http 8080/TCP), proxy (proxy 8080/TCP)
      envVarDuplicated | failure.yaml | Container api sets environment variable LOG_LEVEL more than once
      envVarDuplicated | failure.identical-entries.yaml | Container web sets environment variables PORT, PORT, DB_HOST more than once
      emptyDirSizeLimitMissing | failure.yaml | Deployment api has emptyDir volumes without sizeLimit: cache
      emptyDirSizeLimitMissing | failure.memory.yaml | Pod web has emptyDir volumes without sizeLimit: scratch
      tooManyContainers | failure.yaml | Deployment api runs 5 containers (more than 4)
      ephemeralContainersPresent | failure.yaml | Pod web has ephemeral containers: debugger-x7k2p
      ephemeralContainersPresent | failure.owned-pod.yaml | Pod api-6d4cf56db6-abcde has ephemeral containers: debugger-q9f3z
      imageRegistryNotAllowed | failure.private-registry.yaml | Container api uses image registry.example.com/shop/api:1.9.0, from a registry not allowed
      replicasNotSpreadAcrossNodes | failure.no_spread.yaml | Deployment web runs 3 replicas and nothing spreads its pods across nodes
      replicasNotSpreadAcrossNodes | failure.zone_only_under_hpa.yaml | Deployment api runs under a HorizontalPodAutoscaler and nothing spreads its pods across nodes
      rollingUpdateRoundsToZero | failure.percentage_rounds_down.yaml | Deployment web: maxSurge 0 and maxUnavailable 10% of 3 replicas both come to 0 pods, so a rollout takes 1 pod down at a time anyway
      rollingUpdateRoundsToZero | failure.hpa_min_replicas.yaml | Deployment api: maxSurge 0 and maxUnavailable 20% of 3 replicas both come to 0 pods, so a rollout takes 1 pod down at a time anyway
      rollingUpdateRoundsToZero | failure.default_unavailable_one_replica.yaml | Deployment worker: maxSurge 0% and maxUnavailable 25% of 1 replica both come to 0 pods, so a rollout takes 1 pod down at a time anyway
      statefulSetHeadlessServiceMissing | failure.no_service_name.yaml | StatefulSet db: sets no serviceName
      statefulSetHeadlessServiceMissing | failure.missing.yaml | StatefulSet db: Service db-headless does not exist in its namespace
      statefulSetHeadlessServiceMissing | failure.not_headless.yaml | StatefulSet db: Service db is not headless (clusterIP None)
      statefulSetHeadlessServiceMissing | failure.selects_other_pods.yaml | StatefulSet db: Service db does not select its pods
      cronJobRestartPolicyInvalid | failure.unset.yaml | CronJob nightly-report: restartPolicy is unset (Always), not Never or OnFailure
      cronJobRestartPolicyInvalid | failure.always.yaml | CronJob nightly-report: restartPolicy is Always, not Never or OnFailure
      hpaTargetMissing | failure.misspelt.yaml | HorizontalPodAutoscaler api targets Deployment api, which does not exist in its namespace
      hpaTargetMissing | failure.other_namespace.yaml | HorizontalPodAutoscaler db targets StatefulSet db, which does not exist in its namespace
      ingressBackendServiceMissing | failure.path_backend.yaml | Ingress shop routes to Services that do not exist in its namespace: api
      ingressBackendServiceMissing | failure.default_backend.yaml | Ingress shop routes to Services that do not exist in its namespace: fallback
      ingressBackendServiceMissing | failure.legacy_service_name.yaml | Ingress legacy routes to Services that do not exist in its namespace: cart
      """)
  void failureMessage(String check, String fixture, String message) throws IOException {
    EffectivePolicy policy = TestUtils.resolve(
        Files.readString(Path.of("src/test/resources/conformance/policy.yaml")));
    var batch = TestUtils.read(CheckFixturesTest.OWN.resolve(check).resolve(fixture));
    var results = TestUtils.engineWithoutSystemNamespaces()
        .audit(batch.toObjectSet(), ns -> policy).subjects().stream()
        .flatMap(s -> s.results().stream()).filter(r -> r.check().equals(check)).toList();
    assertThat(results).filteredOn(r -> !r.passed()).extracting(CheckResult::message)
        .containsExactly(message);
  }

  /** Counts of one and of several, on objects written inline (flow YAML) under a policy spec. */
  @ParameterizedTest(name = "{0}: {3}")
  @CsvSource(delimiter = '|', textBlock = """
      sensitiveContainerEnvVar | {bundle: restricted} | {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: r.example.com/web:1.4.2, env: [{name: password, value: abc123}, {name: API_TOKEN, value: ghp_x1}, {name: PASSWORD_FILE, value: /run/secrets/p}]}]}} | Container web sets credentials in plain text in environment variables password, API_TOKEN
      sensitiveConfigmapContent | {bundle: restricted} | {apiVersion: v1, kind: ConfigMap, metadata: {name: app}, data: {db_password: s3cr3t, api-token: ghp_x1, token-url: 'https://auth.example.com/token'}} | ConfigMap app looks like it holds credentials in keys db_password, api-token
      restartCountTooHigh | {bundle: restricted, maxRestartCount: 0} | {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: r.example.com/web:1.4.2}]}, status: {phase: Running, containerStatuses: [{name: web, restartCount: 1}]}} | Container web restarted 1 time (more than 0)
      restartCountTooHigh | {bundle: restricted, maxRestartCount: 0} | {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: r.example.com/web:1.4.2}]}, status: {phase: Running, containerStatuses: [{name: web, restartCount: 2}]}} | Container web restarted 2 times (more than 0)
      deploymentMissingReplicas | {bundle: restricted} | {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: r.example.com/web:1.4.2}]}}}} | Deployment web runs 1 replica and no HorizontalPodAutoscaler scales it
      deploymentMissingReplicas | {bundle: restricted} | {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 0, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: r.example.com/web:1.4.2}]}}}} | Deployment web runs 0 replicas and no HorizontalPodAutoscaler scales it
      hpaMinAvailability | {bundle: restricted} | {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {minReplicas: 1, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}} | HorizontalPodAutoscaler web scales down to 1 replica
      hpaMinAvailability | {bundle: restricted} | {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {minReplicas: 0, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}} | HorizontalPodAutoscaler web scales down to 0 replicas
      rbacWildcardPermissions | {bundle: restricted} | {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: ops}, rules: [{apiGroups: [apps], resources: [deployments], verbs: [get]}, {nonResourceURLs: ['*'], verbs: ['*']}, {apiGroups: [''], resources: ['*'], verbs: [list]}]} | ClusterRole ops grants wildcards: URLs * verbs *; resources * verbs list
      imageRegistryNotAllowed | {bundle: restricted} | {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: 'k8s.gcr.io/pause:3.9'}]}} | Container web uses image k8s.gcr.io/pause:3.9, from a registry not allowed
      imageRegistryNotAllowed | {bundle: restricted} | {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: 'docker.io.example.com/nginx:1.27.2'}]}} | Container web uses image docker.io.example.com/nginx:1.27.2, from a registry not allowed
      imageRegistryNotAllowed | {bundle: restricted, severityOverrides: {imageRegistryNotAllowed: high}} | {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: web, image: 'localhost/web:1.0'}]}} | Container web uses image localhost/web:1.0, from a registry not allowed
      """)
  void countMessage(String check, String spec, String yaml, String message) {
    EffectivePolicy policy = TestUtils.resolve(
        "{apiVersion: devops.stochastic.io/v1, kind: DevOpsPolicy, metadata: {name: p}, spec: "
            + spec + "}");
    var batch = TestUtils.readYaml("inline.yaml", yaml);
    assertThat(batch.invalid()).isEmpty();
    var results = TestUtils.engineWithoutSystemNamespaces()
        .audit(batch.toObjectSet(), ns -> policy).subjects().stream()
        .flatMap(s -> s.results().stream()).filter(r -> r.check().equals(check)).toList();
    assertThat(results).filteredOn(r -> !r.passed()).extracting(CheckResult::message)
        .containsExactly(message);
  }
}
