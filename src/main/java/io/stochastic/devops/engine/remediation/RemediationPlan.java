package io.stochastic.devops.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * A remediation ready to apply: an RFC 6902 JSON Patch against the original object, the object
 * it gives, and the checks it fixes.
 *
 * @param operationChecks for each operation of {@code patch}, in order, the check it fixes
 */
public record RemediationPlan(ArrayNode patch, JsonNode patched, List<String> fixedChecks,
    List<String> operationChecks) {
  public boolean isEmpty() {
    return patch.isEmpty();
  }
}
