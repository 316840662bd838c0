package io.stochastic.devops.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectSet;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.AuditResult;
import io.stochastic.devops.engine.result.CheckResult;
import io.stochastic.devops.testing.IntegrationTest;
import io.stochastic.devops.testing.TestingNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The pss-baseline and pss-restricted bundles against the real oracle: the test API server's own
 * PodSecurity admission. Each pod of a generated table (single variations of the fields the
 * standard names, then seeded random combinations of two to four) is created with server dry
 * run in a namespace enforcing the level at {@code latest}; the API server's verdict (allowed, or
 * denied with "violates PodSecurity") must equal the bundle's (no pss finding, or some). Pods the
 * API server rejects for another reason (validation) say nothing about the standard and are
 * counted, not compared.
 */
@IntegrationTest
class PodSecurityOracleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 15;
  private static final int COMBINATIONS = 240;

  @Test
  void pssBaselineDecidesAsTheApiServerDoes(KubernetesClient client, TestingNamespace namespace)
      throws Exception {
    compareWithTheApiServer("baseline", "pss-baseline", client, namespace);
  }

  @Test
  void pssRestrictedDecidesAsTheApiServerDoes(KubernetesClient client, TestingNamespace namespace)
      throws Exception {
    compareWithTheApiServer("restricted", "pss-restricted", client, namespace);
  }

  private static void compareWithTheApiServer(String level, String bundle,
      KubernetesClient client, TestingNamespace namespace) throws Exception {
    client.namespaces().withName(namespace.name()).edit(ns -> {
      ns.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", level);
      ns.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce-version", "latest");
      // For workload templates the API server only warns, and only at the warn level.
      ns.getMetadata().getLabels().put("pod-security.kubernetes.io/warn", level);
      ns.getMetadata().getLabels().put("pod-security.kubernetes.io/warn-version", "latest");
      return ns;
    });
    // Admission reads namespaces from an informer: wait until it sees the label.
    Map<String, Object> privileged = pod("probe", List.of(Variation.of("hostNetwork",
        p -> spec(p).put("hostNetwork", true))));
    await("PodSecurity enforcing " + level).atMost(Duration.ofSeconds(20))
        .until(() -> dryRun(client, privileged) == Verdict.DENIED);

    EffectivePolicy policy = TestUtils.bundle(bundle);
    List<Map<String, Object>> pods = table();
    List<Map<String, Object>> objects = new ArrayList<>(pods);
    pods.forEach(pod -> objects.add(deployment(pod)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> disagreements = new ArrayList<>();
    int invalid = 0;
    int denied = 0;
    int deploymentsDenied = 0;
    try {
      List<Future<Verdict>> verdicts = new ArrayList<>();
      for (Map<String, Object> object : objects) {
        verdicts.add(pool.submit(() -> "Pod".equals(object.get("kind"))
            ? dryRun(client, object) : dryRunWorkload(client, namespace.name(), object)));
      }
      for (int i = 0; i < objects.size(); i++) {
        Map<String, Object> object = objects.get(i);
        Verdict apiServer = verdicts.get(i).get();
        if (apiServer == Verdict.INVALID) {
          invalid++;
          continue;
        }
        List<String> findings = findings(object, policy, namespace.name());
        boolean ours = !findings.isEmpty();
        if (apiServer == Verdict.DENIED) {
          denied++;
          deploymentsDenied += "Deployment".equals(object.get("kind")) ? 1 : 0;
        }
        if (ours != (apiServer == Verdict.DENIED)) {
          disagreements.add(object.get("kind") + " " + name(object) + ": API server " + apiServer
              + ", " + bundle + " " + (ours ? "denies " + findings : "allows") + "\n    "
              + JSON.writeValueAsString(object.get("spec")) + " " + annotations(object));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(objects.size() - invalid).as("objects the API server judged (of %d; %d invalid)",
        objects.size(), invalid).isGreaterThan(objects.size() / 2);
    assertThat(denied).as("objects denied at %s", level).isPositive();
    assertThat(deploymentsDenied).as("Deployments whose template the API server warned about")
        .isPositive();
    System.out.printf("PodSecurityOracleIT %s: %d objects, %d invalid, %d denied (%d Deployments),"
        + " %d disagreements%n", level, objects.size(), invalid, denied, deploymentsDenied,
        disagreements.size());
    assertThat(disagreements).as("%d disagreements between the API server at %s and %s on %d "
        + "valid pods and Deployments:\n%s", disagreements.size(), level, bundle,
        objects.size() - invalid, String.join("\n", disagreements)).isEmpty();
  }

  /** The pod as a Deployment's template, with the same name and annotations. */
  static Map<String, Object> deployment(Map<String, Object> pod) {
    Map<String, Object> podMetadata = JSON.convertValue(pod.get("metadata"), Map.class);
    String name = String.valueOf(podMetadata.remove("name"));
    podMetadata.put("labels", Map.of("app", name));
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("metadata", podMetadata);
    template.put("spec", JSON.convertValue(pod.get("spec"), Map.class));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("replicas", 1);
    spec.put("selector", Map.of("matchLabels", Map.of("app", name)));
    spec.put("template", template);
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("apiVersion", "apps/v1");
    deployment.put("kind", "Deployment");
    deployment.put("metadata", new LinkedHashMap<>(Map.of("name", name,
        "annotations", annotations(pod))));
    deployment.put("spec", spec);
    return deployment;
  }

  /**
   * A Deployment's verdict: PodSecurity admits workloads and says what their pods would violate
   * in a Warning header, which the typed client does not return; hence the raw request.
   */
  private static Verdict dryRunWorkload(KubernetesClient client, String namespace,
      Map<String, Object> deployment) throws Exception {
    HttpClient http = client.getHttpClient();
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/apis/apps/v1/namespaces/"
        + namespace + "/deployments?dryRun=All";
    HttpResponse<String> response = http.sendAsync(http.newHttpRequestBuilder().uri(url)
        .post("application/json", JSON.writeValueAsString(deployment)).build(), String.class)
        .get(30, TimeUnit.SECONDS);
    if (response.code() >= 300) {
      return Verdict.INVALID;
    }
    return response.headers("Warning").stream().anyMatch(w -> w.contains("violate PodSecurity"))
        ? Verdict.DENIED : Verdict.ALLOWED;
  }

  enum Verdict { ALLOWED, DENIED, INVALID }

  private static Verdict dryRun(KubernetesClient client, Map<String, Object> pod) {
    try {
      client.resource(JSON.convertValue(pod, Pod.class)).dryRun().create();
      return Verdict.ALLOWED;
    } catch (KubernetesClientException e) {
      String message = String.valueOf(e.getMessage());
      return e.getCode() == 403 && message.contains("violates PodSecurity")
          ? Verdict.DENIED : Verdict.INVALID;
    }
  }

  private static List<String> findings(Map<String, Object> pod, EffectivePolicy policy,
      String namespace) {
    Map<String, Object> copy = JSON.convertValue(pod, Map.class);
    AuditResult result = TestUtils.engineWithoutSystemNamespaces().audit(
        new ObjectSet(List.of(new KubeObject(copy, name(pod), namespace))), ns -> policy);
    return result.subjects().stream().flatMap(s -> s.results().stream())
        .filter(r -> !r.passed() || r.error())
        .map(CheckResult::check).distinct().sorted().toList();
  }

  /** A named change to a pod (as the JSON tree the API server receives). */
  record Variation(String name, Consumer<Map<String, Object>> change) {
    static Variation of(String name, Consumer<Map<String, Object>> change) {
      return new Variation(name, change);
    }
  }

  /** Every variation alone, then seeded random combinations of two to four. */
  static List<Map<String, Object>> table() {
    List<Variation> variations = variations();
    List<Map<String, Object>> pods = new ArrayList<>();
    pods.add(pod("plain", List.of()));
    for (Variation v : variations) {
      pods.add(pod(v.name(), List.of(v)));
    }
    Random random = new Random(SEED);
    Variation restricted = variations.get(0);
    for (int i = 0; i < COMBINATIONS; i++) {
      List<Variation> chosen = new ArrayList<>();
      // Half the combinations start from a restricted pod, so restricted's allow side is
      // exercised as much as its deny side.
      if (i % 2 == 0) {
        chosen.add(restricted);
      }
      int count = 1 + random.nextInt(3);
      for (int j = 0; j < count; j++) {
        chosen.add(variations.get(1 + random.nextInt(variations.size() - 1)));
      }
      pods.add(pod(chosen.stream().map(Variation::name).collect(Collectors.joining("+")),
          chosen));
    }
    return pods;
  }

  static Map<String, Object> pod(String name, List<Variation> variations) {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", "app");
    container.put("image", "registry.example.com/app:1.0.0");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("containers", new ArrayList<>(List.of(container)));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "p" + Integer.toHexString(name.hashCode() & 0xfffffff));
    metadata.put("annotations", new LinkedHashMap<>(Map.of("variation", name)));
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.put("metadata", metadata);
    pod.put("spec", spec);
    variations.forEach(v -> v.change().accept(pod));
    return pod;
  }

  private static String name(Map<String, Object> pod) {
    return String.valueOf(annotations(pod).get("variation"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> annotations(Map<String, Object> pod) {
    return (Map<String, Object>) ((Map<String, Object>) pod.get("metadata")).get("annotations");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Map<String, Object> pod) {
    return (Map<String, Object>) pod.get("spec");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> container(Map<String, Object> pod) {
    return ((List<Map<String, Object>>) spec(pod).get("containers")).get(0);
  }

  static Map<String, Object> podContext(Map<String, Object> pod) {
    return child(spec(pod), "securityContext");
  }

  static Map<String, Object> containerContext(Map<String, Object> pod) {
    return child(container(pod), "securityContext");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> initContainerContext(Map<String, Object> pod) {
    List<Map<String, Object>> init = (List<Map<String, Object>>) spec(pod)
        .computeIfAbsent("initContainers", k -> new ArrayList<>(List.of(new LinkedHashMap<>(
            Map.of("name", "init", "image", "registry.example.com/init:1.0.0")))));
    return child(init.get(0), "securityContext");
  }

  @SuppressWarnings("unchecked")
  static void volume(Map<String, Object> pod, String name, Map<String, Object> source) {
    List<Object> volumes = (List<Object>) spec(pod).computeIfAbsent("volumes",
        k -> new ArrayList<>());
    Map<String, Object> volume = new LinkedHashMap<>(source);
    volume.put("name", name + volumes.size());
    volumes.add(volume);
  }

  static void sysctl(Map<String, Object> pod, String name, String value) {
    @SuppressWarnings("unchecked")
    List<Object> sysctls = (List<Object>) podContext(pod).computeIfAbsent("sysctls",
        k -> new ArrayList<>());
    if (sysctls.stream().noneMatch(s -> ((Map<?, ?>) s).get("name").equals(name))) {
      sysctls.add(Map.of("name", name, "value", value));
    }
  }

  static void apparmorAnnotation(Map<String, Object> pod, String value) {
    annotations(pod).put("container.apparmor.security.beta.kubernetes.io/app", value);
  }

  /** The fields the standard names, each set to allowed and to forbidden values. */
  static List<Variation> variations() {
    List<Variation> v = new ArrayList<>();
    // First: what the restricted level asks of a pod (table() builds on it).
    v.add(Variation.of("restricted", p -> {
      podContext(p).put("runAsNonRoot", true);
      podContext(p).put("seccompProfile", Map.of("type", "RuntimeDefault"));
      containerContext(p).put("allowPrivilegeEscalation", false);
      containerContext(p).put("capabilities", Map.of("drop", List.of("ALL")));
    }));
    v.add(Variation.of("hostNetwork", p -> spec(p).put("hostNetwork", true)));
    v.add(Variation.of("hostPID", p -> spec(p).put("hostPID", true)));
    v.add(Variation.of("hostIPC", p -> spec(p).put("hostIPC", true)));
    v.add(Variation.of("hostNetworkFalse", p -> spec(p).put("hostNetwork", false)));
    v.add(Variation.of("privileged", p -> containerContext(p).put("privileged", true)));
    v.add(Variation.of("privilegedFalse", p -> containerContext(p).put("privileged", false)));
    v.add(Variation.of("initPrivileged", p -> initContainerContext(p).put("privileged", true)));
    v.add(Variation.of("initPlain", p -> initContainerContext(p)));
    for (String cap : List.of("NET_RAW", "CHOWN", "NET_BIND_SERVICE", "SYS_ADMIN", "chown",
        "CAP_CHOWN", "SYS_CHROOT", "ALL")) {
      v.add(Variation.of("add" + cap, p -> containerContext(p)
          .put("capabilities", Map.of("add", List.of(cap)))));
    }
    v.add(Variation.of("dropAllAddNetBind", p -> containerContext(p).put("capabilities",
        Map.of("drop", List.of("ALL"), "add", List.of("NET_BIND_SERVICE")))));
    v.add(Variation.of("dropAllAddChown", p -> containerContext(p).put("capabilities",
        Map.of("drop", List.of("ALL"), "add", List.of("CHOWN")))));
    v.add(Variation.of("dropAllLowerCase", p -> containerContext(p).put("capabilities",
        Map.of("drop", List.of("all")))));
    v.add(Variation.of("dropNetRaw", p -> containerContext(p).put("capabilities",
        Map.of("drop", List.of("NET_RAW")))));
    v.add(Variation.of("initDropAll", p -> initContainerContext(p).put("capabilities",
        Map.of("drop", List.of("ALL")))));
    v.add(Variation.of("hostPath", p -> volume(p, "host",
        Map.of("hostPath", Map.of("path", "/var/log")))));
    v.add(Variation.of("nfs", p -> volume(p, "nfs",
        Map.of("nfs", Map.of("server", "nfs.example.com", "path", "/exports")))));
    v.add(Variation.of("emptyDir", p -> volume(p, "cache", Map.of("emptyDir", Map.of()))));
    v.add(Variation.of("configMap", p -> volume(p, "config",
        Map.of("configMap", Map.of("name", "app")))));
    v.add(Variation.of("secret", p -> volume(p, "secret",
        Map.of("secret", Map.of("secretName", "app")))));
    v.add(Variation.of("csi", p -> volume(p, "csi",
        Map.of("csi", Map.of("driver", "inline.storage.example.com")))));
    v.add(Variation.of("downwardAPI", p -> volume(p, "labels", Map.of("downwardAPI",
        Map.of("items", List.of(Map.of("path", "labels",
            "fieldRef", Map.of("fieldPath", "metadata.labels"))))))));
    v.add(Variation.of("pvc", p -> volume(p, "data",
        Map.of("persistentVolumeClaim", Map.of("claimName", "data")))));
    v.add(Variation.of("gitRepo", p -> volume(p, "git",
        Map.of("gitRepo", Map.of("repository", "https://git.example.com/app.git")))));
    v.add(Variation.of("hostPort", p -> container(p).put("ports",
        List.of(Map.of("containerPort", 8080, "hostPort", 8080)))));
    v.add(Variation.of("hostPortZero", p -> container(p).put("ports",
        List.of(Map.of("containerPort", 8080, "hostPort", 0)))));
    v.add(Variation.of("apparmorAnnotationUnconfined", p -> apparmorAnnotation(p, "unconfined")));
    v.add(Variation.of("apparmorAnnotationRuntimeDefault",
        p -> apparmorAnnotation(p, "runtime/default")));
    v.add(Variation.of("apparmorAnnotationLocalhost",
        p -> apparmorAnnotation(p, "localhost/app")));
    v.add(Variation.of("apparmorPodUnconfined", p -> podContext(p)
        .put("appArmorProfile", Map.of("type", "Unconfined"))));
    v.add(Variation.of("apparmorPodRuntimeDefault", p -> podContext(p)
        .put("appArmorProfile", Map.of("type", "RuntimeDefault"))));
    v.add(Variation.of("apparmorContainerUnconfined", p -> containerContext(p)
        .put("appArmorProfile", Map.of("type", "Unconfined"))));
    v.add(Variation.of("apparmorContainerLocalhost", p -> containerContext(p)
        .put("appArmorProfile", Map.of("type", "Localhost", "localhostProfile", "app"))));
    for (String type : List.of("container_t", "container_init_t", "container_kvm_t",
        "container_engine_t", "spc_t", "")) {
      v.add(Variation.of("seLinuxPodType" + type, p -> podContext(p)
          .put("seLinuxOptions", Map.of("type", type))));
    }
    v.add(Variation.of("seLinuxContainerTypeSpc", p -> containerContext(p)
        .put("seLinuxOptions", Map.of("type", "spc_t"))));
    v.add(Variation.of("seLinuxUser", p -> containerContext(p)
        .put("seLinuxOptions", Map.of("user", "system_u"))));
    v.add(Variation.of("seLinuxRole", p -> podContext(p)
        .put("seLinuxOptions", Map.of("role", "system_r"))));
    v.add(Variation.of("seLinuxLevel", p -> podContext(p)
        .put("seLinuxOptions", Map.of("level", "s0:c1,c2"))));
    v.add(Variation.of("procMountUnmasked", p -> {
      spec(p).put("hostUsers", false);
      containerContext(p).put("procMount", "Unmasked");
    }));
    // User namespaces relax some controls (an Unmasked /proc); combined with runAsUser: 0 they
    // show whether the API server relaxes the non-root controls too.
    v.add(Variation.of("hostUsersFalse", p -> spec(p).put("hostUsers", false)));
    v.add(Variation.of("rootInUserNamespace", p -> {
      spec(p).put("hostUsers", false);
      podContext(p).put("runAsUser", 0);
      containerContext(p).put("runAsNonRoot", false);
    }));
    v.add(Variation.of("procMountDefault", p -> containerContext(p).put("procMount", "Default")));
    v.add(Variation.of("seccompPodUnconfined", p -> podContext(p)
        .put("seccompProfile", Map.of("type", "Unconfined"))));
    v.add(Variation.of("seccompPodRuntimeDefault", p -> podContext(p)
        .put("seccompProfile", Map.of("type", "RuntimeDefault"))));
    v.add(Variation.of("seccompContainerUnconfined", p -> containerContext(p)
        .put("seccompProfile", Map.of("type", "Unconfined"))));
    v.add(Variation.of("seccompContainerLocalhost", p -> containerContext(p)
        .put("seccompProfile", Map.of("type", "Localhost", "localhostProfile", "app.json"))));
    v.add(Variation.of("seccompContainerRuntimeDefault", p -> containerContext(p)
        .put("seccompProfile", Map.of("type", "RuntimeDefault"))));
    for (String name : List.of("kernel.shm_rmid_forced", "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.ip_local_reserved_ports", "kernel.msgmax", "net.core.somaxconn")) {
      v.add(Variation.of("sysctl " + name, p -> sysctl(p, name,
          name.endsWith("ports") ? "8080" : "5")));
    }
    v.add(Variation.of("windowsHostProcess", p -> {
      spec(p).put("os", Map.of("name", "windows"));
      spec(p).put("hostNetwork", true);
      podContext(p).put("windowsOptions", Map.of("hostProcess", true));
    }));
    v.add(Variation.of("windows", p -> spec(p).put("os", Map.of("name", "windows"))));
    v.add(Variation.of("allowPrivilegeEscalation", p -> containerContext(p)
        .put("allowPrivilegeEscalation", true)));
    v.add(Variation.of("allowPrivilegeEscalationFalse", p -> containerContext(p)
        .put("allowPrivilegeEscalation", false)));
    v.add(Variation.of("podRunAsNonRootFalse", p -> podContext(p).put("runAsNonRoot", false)));
    v.add(Variation.of("containerRunAsNonRoot", p -> containerContext(p)
        .put("runAsNonRoot", true)));
    v.add(Variation.of("containerRunAsNonRootFalse", p -> containerContext(p)
        .put("runAsNonRoot", false)));
    v.add(Variation.of("podRunAsUser0", p -> podContext(p).put("runAsUser", 0)));
    v.add(Variation.of("podRunAsUser1000", p -> podContext(p).put("runAsUser", 1000)));
    v.add(Variation.of("containerRunAsUser0", p -> containerContext(p).put("runAsUser", 0)));
    return v;
  }
}
