package io.stochastic.devops.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * The webhook's answer to one review, before it becomes an AdmissionResponse.
 *
 * @param decision what the metrics count: {@code allowed}, {@code warned}, {@code denied},
 *     {@code patched}, {@code skipped} (not judged: exempt, owned, no policy...), {@code
 *     fail-open} or {@code fail-closed}
 * @param message why the request is denied (null when allowed)
 * @param warnings the admission warnings kubectl prints
 * @param patch the JSON Patch of a mutation, or null
 */
public record Verdict(boolean allowed, String decision, String message, List<String> warnings,
    ArrayNode patch) {
  public Verdict {
    warnings = List.copyOf(warnings);
  }

  static Verdict skipped() {
    return new Verdict(true, "skipped", null, List.of(), null);
  }

  static Verdict allowed(List<String> warnings) {
    return new Verdict(true, warnings.isEmpty() ? "allowed" : "warned", null, warnings, null);
  }

  static Verdict denied(String message, List<String> warnings) {
    return new Verdict(false, "denied", message, warnings, null);
  }

  static Verdict patched(ArrayNode patch, List<String> warnings) {
    return new Verdict(true, "patched", null, warnings, patch);
  }
}
