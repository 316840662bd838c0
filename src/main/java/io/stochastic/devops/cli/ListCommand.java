package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ListPages;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.stochastic.devops.kube.ClusterObjectSource;
import io.stochastic.devops.kube.ClusterSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops list pods}: the pods of a cluster, as the runtime checks see them. */
@Command(name = "list",
    description = {"List objects of a live cluster (read-only). RESOURCE: pods — name, "
        + "namespace, phase, node, restarts (all containers) and age.", ""},
    footer = {"", "Exit codes: 0 listed; 2 usage error, or the cluster could not be reached.",
        "", "Examples:", "  kube-devops list pods -A", "  kube-devops list pods -n shop -o json"})
final class ListCommand implements Callable<Integer> {
  private final Application application;
  @Spec
  CommandSpec spec;
  @Mixin
  ClusterOptions cluster;

  @Parameters(paramLabel = "RESOURCE", description = "What to list: pods.")
  String resource;

  @Mixin
  NamespaceScope namespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  enum Format { table, json }

  ListCommand(Application application) {
    this.application = application;
  }

  /** One pod as listed. */
  record PodRow(String namespace, String name, String phase, String node, long restarts,
      long ageSeconds) {}

  @Override
  public Integer call() throws IOException {
    if (!"pods".equals(resource) && !"pod".equals(resource) && !"po".equals(resource)) {
      throw new UserException("cannot list '" + resource + "': only pods can be listed");
    }
    Format format = OutputFormat.parse(Format.class, output, "--output");
    namespaces.validate();
    List<PodRow> rows = new ArrayList<>();
    Instant now = application.clock().instant();
    try (ClusterSession session = cluster.open(application)) {
      String ns = namespaces.resolve(session);
      String what = "listing pods " + (ns == null ? "in all namespaces" : "in namespace " + ns);
      ListPages.<Pod>forEach(ClusterObjectSource.PAGE_SIZE,
          options -> session.request(what, () -> ns == null
              ? session.client().pods().inAnyNamespace().list(options)
              : session.client().pods().inNamespace(ns).list(options)),
          pod -> rows.add(row(pod, now)));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.json) {
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("pods", rows);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(list));
    } else if (rows.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no pods found");
      err.flush();
    } else {
      int nsWidth = Math.max(9, rows.stream().mapToInt(r -> r.namespace().length()).max()
          .orElse(0));
      int nameWidth = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max()
          .orElse(0));
      String line = "%-" + nsWidth + "s  %-" + nameWidth + "s  %-9s  %-16s  %8s  %s%n";
      out.printf(line, "NAMESPACE", "NAME", "PHASE", "NODE", "RESTARTS", "AGE");
      for (PodRow r : rows) {
        out.printf(line, r.namespace(), r.name(), r.phase(), r.node(), r.restarts(),
            age(r.ageSeconds()));
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  private static PodRow row(Pod pod, Instant now) {
    long restarts = 0;
    String phase = "Unknown";
    if (pod.getStatus() != null) {
      phase = pod.getStatus().getPhase() == null ? "Unknown" : pod.getStatus().getPhase();
      for (List<ContainerStatus> statuses : List.of(pod.getStatus().getContainerStatuses(),
          pod.getStatus().getInitContainerStatuses())) {
        for (ContainerStatus status : statuses) {
          restarts += status.getRestartCount() == null ? 0 : status.getRestartCount();
        }
      }
    }
    String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "<none>"
        : pod.getSpec().getNodeName();
    String created = pod.getMetadata().getCreationTimestamp();
    long age = created == null ? 0
        : Math.max(0, Duration.between(Instant.parse(created), now).getSeconds());
    return new PodRow(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), phase,
        node, restarts, age);
  }

  /** As kubectl shows ages: 45s, 12m, 5h, 3d. */
  static String age(long seconds) {
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }
}
