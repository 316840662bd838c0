package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.check.LabelSelectors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code spec.exemptions} entry: the checks it exempts (empty: all) for the workloads whose
 * name matches one of the glob patterns (none: any name) and whose labels match the selector
 * (none: any labels). Both conditions must hold when both are given.
 */
public record Exemption(Set<String> checks, List<Pattern> names, Map<String, Object> selector) {

  public boolean covers(String check) {
    return checks.isEmpty() || checks.contains(check);
  }

  /**
   * @param labels the workload's labels
   * @param podLabels its pod template's labels (a selector may match either)
   */
  public boolean matches(String name, Map<String, Object> labels, Map<String, Object> podLabels) {
    if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher(name).matches())) {
      return false;
    }
    return selector == null
        || LabelSelectors.matches(selector, labels)
        || LabelSelectors.matches(selector, podLabels);
  }

  /** A glob ({@code *} any run of characters, {@code ?} one character) as a regex. */
  public static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
