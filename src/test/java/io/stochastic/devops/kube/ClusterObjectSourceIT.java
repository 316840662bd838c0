package io.stochastic.devops.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.NamespacePolicies;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.report.ReportContext;
import io.stochastic.devops.report.ReportFormat;
import io.stochastic.devops.report.ReportRenderer;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import io.stochastic.devops.testing.TestingObjects;
import java.io.IOException;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cluster {@code ObjectSource} on a real API server: paginated lists, and one normalisation —
 * what it read, dumped as YAML and audited offline, gives the same report byte for byte.
 */
@IntegrationTest
class ClusterObjectSourceIT {
  @Test
  void objectsReadFromTheClusterAreJudgedAsTheirYamlDumpIs(TestingNamespace ns)
      throws IOException {
    KubernetesClient client = ns.client();
    TestingObjects.create(client, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 0
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - name: web
                  image: nginx:latest
                  ports: [{containerPort: 8080}]
                  resources: {limits: {cpu: 500m, memory: 256Mi}}
                  securityContext: {privileged: false, runAsNonRoot: true}
        """);
    TestingObjects.create(client, """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "*/5 * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: r, image: "busybox:1.36", args: [sh, -c, "echo 1"]}]
        """);
    TestingObjects.create(client, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {password: hunter2, replicas: "3"}
        """);
    TestingObjects.create(client, """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
        """);
    Pod pod = (Pod) TestingObjects.create(client, """
        apiVersion: v1
        kind: Pod
        metadata: {name: loner}
        spec:
          containers: [{name: app, image: "redis:7.4", env: [{name: TOKEN, value: x}]}]
        """);
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
        .addNewContainerStatus().withName("app").withRestartCount(9).withReady(false)
        .withImage("redis:7.4").withImageID("").withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus().build());
    client.pods().resource(pod).updateStatus();

    ObjectSet read;
    try (ClusterSession session = ClusterSession.over(client, "test")) {
      // A page of 2 forces several continue tokens for the resources with more objects.
      read = new ClusterObjectSource(session, "test", ns.name(),
          EnumSet.allOf(ClusterResource.class), 2, what -> { }).read();
    }
    assertThat(read.objects()).extracting(KubeObject::kind)
        .contains("Deployment", "CronJob", "ConfigMap", "PodDisruptionBudget", "Pod");

    var policy = NamespacePolicies.single(TestUtils.bundle("restricted"));
    String fromCluster = report(TestUtils.engine().audit(read, policy), policy);
    String dump = dumpAsYaml(read.objects());
    String fromFile = report(TestUtils.engine().audit(
        TestUtils.readYaml("dump.yaml", dump).toObjectSet(), policy), policy);

    assertThat(stripSources(fromCluster)).isEqualTo(stripSources(fromFile));
    assertThat(fromCluster).contains("\"name\" : \"loner\"", "restartCountTooHigh",
        "sensitiveConfigmapContent", "tagNotSpecified");
  }

  private static String dumpAsYaml(List<KubeObject> objects) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    StringBuilder out = new StringBuilder();
    for (KubeObject object : objects) {
      out.append(yaml.writeValueAsString(object.content()));
    }
    return out.toString();
  }

  private static String report(AuditResult result, NamespacePolicies policy) throws IOException {
    StringWriter out = new StringWriter();
    ReportRenderer.of(ReportFormat.JSON).render(new ReportContext(result,
        policy.checkDefinitions(), policy.describe(), "test", true, false), out);
    return out.toString();
  }

  /** Where an object came from differs by design: the cluster, or the dump's file and index. */
  @SuppressWarnings("unchecked")
  private static String stripSources(String json) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> report = mapper.readValue(json, Map.class);
    ((List<Map<String, Object>>) report.get("workloads")).forEach(w -> w.remove("source"));
    return mapper.writeValueAsString(report);
  }
}
