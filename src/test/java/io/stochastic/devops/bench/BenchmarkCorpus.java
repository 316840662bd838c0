package io.stochastic.devops.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes the benchmark corpus: {@code workloads} workloads (a realistic mix of kinds, one to
 * three containers, good and bad settings) spread over 50 namespaces and 100 files, with the
 * Services, PodDisruptionBudgets, HorizontalPodAutoscalers, NetworkPolicies, ConfigMaps and RBAC
 * objects that the cross-object checks read. Deterministic: the same seed gives the same bytes.
 *
 * <pre>java -cp ... io.stochastic.devops.bench.BenchmarkCorpus target/bench-corpus 10000</pre>
 */
public final class BenchmarkCorpus {
  private static final int NAMESPACES = 50;
  private static final int FILES = 100;

  private final Random random = new Random(20261122L);

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-corpus");
    int workloads = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    new BenchmarkCorpus().write(dir, workloads);
    System.out.println("wrote " + workloads + " workloads to " + dir);
  }

  public void write(Path dir, int workloads) throws IOException {
    Files.createDirectories(dir);
    int perFile = (workloads + FILES - 1) / FILES;
    int written = 0;
    for (int f = 0; f < FILES && written < workloads; f++) {
      try (Writer out = Files.newBufferedWriter(dir.resolve(String.format("apps-%03d.yaml", f)))) {
        for (int i = 0; i < perFile && written < workloads; i++, written++) {
          out.write(workload(written));
          out.write("---\n");
        }
      }
    }
    try (Writer out = Files.newBufferedWriter(dir.resolve("cluster-objects.yaml"))) {
      for (int n = 0; n < NAMESPACES; n++) {
        out.write(namespaceObjects(n));
      }
    }
  }

  private String workload(int i) {
    String ns = "team-" + (i % NAMESPACES);
    String app = "app-" + i;
    int pick = random.nextInt(100);
    String podSpec = podSpec(app, pick < 10);
    String labels = "{app.kubernetes.io/name: " + app + ", app.kubernetes.io/instance: " + app
        + ", team: t" + (i % 7) + "}";
    if (pick < 55) {
      return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + app
          + "\n  namespace: " + ns + "\n  labels: " + labels + "\nspec:\n  replicas: "
          + (1 + random.nextInt(4)) + "\n  selector: {matchLabels: {app.kubernetes.io/name: "
          + app + "}}\n  template:\n    metadata:\n      labels: " + labels + "\n    spec:\n"
          + podSpec.indent(6);
    }
    if (pick < 70) {
      return "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: " + app
          + "\n  namespace: " + ns + "\nspec:\n  serviceName: " + app + "\n  replicas: 3\n"
          + "  selector: {matchLabels: {app.kubernetes.io/name: " + app + "}}\n  template:\n"
          + "    metadata:\n      labels: " + labels + "\n    spec:\n" + podSpec.indent(6);
    }
    if (pick < 78) {
      return "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: " + app
          + "\n  namespace: " + ns + "\nspec:\n  selector: {matchLabels: "
          + "{app.kubernetes.io/name: " + app + "}}\n  template:\n    metadata:\n      labels: "
          + labels + "\n    spec:\n" + podSpec.indent(6);
    }
    if (pick < 88) {
      return "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: " + app
          + "\n  namespace: " + ns + "\nspec:\n  schedule: \"*/15 * * * *\"\n  jobTemplate:\n"
          + "    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n"
          + podSpec.indent(10);
    }
    // Pods as `kubectl get pods -o yaml` shows them, for the runtime checks.
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + app + "-7c9f\n  namespace: " + ns
        + "\n  labels: " + labels + "\n  creationTimestamp: \"2026-11-22T08:00:00Z\"\n"
        + "  ownerReferences:\n    - {apiVersion: apps/v1, kind: ReplicaSet, name: " + app
        + ", uid: u" + i + ", controller: true}\nspec:\n" + podSpec.indent(2)
        + "status:\n  phase: " + (random.nextInt(10) == 0 ? "Pending" : "Running")
        + "\n  startTime: \"2026-11-22T08:00:01Z\"\n  containerStatuses:\n"
        + "    - {name: main, restartCount: " + random.nextInt(8) + "}\n";
  }

  private String podSpec(String app, boolean sloppy) {
    StringBuilder spec = new StringBuilder();
    if (!sloppy) {
      spec.append("automountServiceAccountToken: false\n")
          .append("securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n");
    } else if (random.nextBoolean()) {
      spec.append("hostNetwork: true\n");
    }
    if (random.nextInt(5) == 0) {
      spec.append("initContainers:\n  - name: init\n    image: busybox:1.36\n"
          + "    command: [sh, -c, \"echo ready\"]\n");
    }
    spec.append("containers:\n");
    int containers = 1 + random.nextInt(3);
    for (int c = 0; c < containers; c++) {
      String name = c == 0 ? "main" : "sidecar-" + c;
      String image = sloppy && c == 0 ? "registry.example.com/" + app + ":latest"
          : "registry.example.com/" + app + ":1." + random.nextInt(30) + "." + random.nextInt(9);
      spec.append("  - name: ").append(name).append("\n    image: ").append(image).append('\n');
      spec.append("    ports: [{containerPort: ").append(8080 + c).append("}]\n");
      spec.append("    env:\n      - {name: LOG_LEVEL, value: info}\n"
          + "      - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}\n");
      if (!sloppy || random.nextBoolean()) {
        spec.append("    livenessProbe: {httpGet: {path: /healthz, port: ").append(8080 + c)
            .append("}}\n    readinessProbe: {httpGet: {path: /ready, port: ").append(8080 + c)
            .append("}}\n");
      }
      if (!sloppy || random.nextBoolean()) {
        spec.append("    resources:\n      requests: {cpu: 100m, memory: 128Mi}\n"
            + "      limits: {cpu: 500m, memory: 256Mi}\n");
      }
      spec.append(sloppy
          ? "    securityContext: {privileged: " + random.nextBoolean() + "}\n"
          : "    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,"
              + " capabilities: {drop: [ALL]}}\n");
    }
    return spec.toString();
  }

  private static String namespaceObjects(int n) {
    String ns = "team-" + n;
    StringBuilder out = new StringBuilder();
    for (int i = n; i < n + 200 && i < 10_000; i += NAMESPACES) {
      String app = "app-" + i;
      out.append("apiVersion: v1\nkind: Service\nmetadata: {name: ").append(app)
          .append(", namespace: ").append(ns).append("}\nspec:\n  selector: "
              + "{app.kubernetes.io/name: ").append(app).append("}\n  ports: [{port: 80}]\n---\n");
      out.append("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: ")
          .append(app).append(", namespace: ").append(ns).append("}\nspec:\n  minAvailable: 1\n"
              + "  selector: {matchLabels: {app.kubernetes.io/name: ").append(app)
          .append("}}\n---\n");
    }
    out.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default,"
        + " namespace: ").append(ns).append("}\nspec:\n  podSelector: {}\n"
        + "  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{podSelector: {}}]}]\n"
        + "  egress: [{to: [{podSelector: {}}]}]\n---\n");
    out.append("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: "
        + "app-").append(n).append(", namespace: ").append(ns).append("}\nspec:\n"
        + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-").append(n)
        .append("}\n  minReplicas: 2\n  maxReplicas: 6\n---\n");
    out.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ")
        .append(ns).append("}\ndata: {LOG_LEVEL: info, FEATURE_X: \"on\"}\n---\n");
    out.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: "
        + "deployers, namespace: ").append(ns).append("}\nsubjects: [{kind: ServiceAccount, "
        + "name: ci, namespace: ").append(ns).append("}]\nroleRef: {apiGroup: "
        + "rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n---\n");
    return out.toString();
  }
}
