package io.stochastic.devops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the shipped manifests' kube-devops containers have in common, checked one way. */
final class JvmContainers {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");

  private JvmContainers() {}

  /** The container's args as the kubelet passes them: {@code $(NAME)} replaced by env values. */
  static List<String> expandedArgs(Container container) {
    Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    return container.getArgs().stream()
        .map(arg -> VARIABLE.matcher(arg)
            .replaceAll(m -> Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group()))))
        .toList();
  }

  /** -Xmx in JAVA_TOOL_OPTIONS leaves a quarter of the memory limit, and request = limit. */
  static void assertHeapLeavesRoomInTheMemoryLimit(Container container) {
    String options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .map(EnvVar::getValue).findFirst().orElseThrow();
    Matcher xmx = Pattern.compile("-Xmx(\\d+)([mMgG])").matcher(options);
    assertThat(xmx.find()).as(options).isTrue();
    long heap = Long.parseLong(xmx.group(1)) << (xmx.group(2).equalsIgnoreCase("g") ? 30 : 20);
    BigDecimal limit = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory"));
    BigDecimal request = Quantity.getAmountInBytes(container.getResources().getRequests().get("memory"));

    // Metaspace, code cache, thread stacks and direct buffers live outside the heap.
    assertThat(BigDecimal.valueOf(heap)).isLessThanOrEqualTo(limit.multiply(BigDecimal.valueOf(0.75)));
    assertThat(request).isEqualByComparingTo(limit);
  }
}
