package io.stochastic.devops.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.policy.ActiveCheck;
import io.stochastic.devops.engine.policy.EffectivePolicy;
import io.stochastic.devops.engine.result.CheckResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the failed, remediable results of one object into one JSON Patch. Operations are made
 * valid for the object as it is: an {@code add} whose parent is missing is preceded by adds of
 * the missing objects, a {@code remove} of an absent path is dropped, and a {@code *} token for a
 * list becomes one operation per item, so the patch applies cleanly both here and in an admission
 * response.
 */
public final class Remediator {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public RemediationPlan plan(KubeObject object, List<CheckResult> results,
      EffectivePolicy policy) {
    JsonNode current = MAPPER.valueToTree(object.content());
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    Set<String> fixed = new LinkedHashSet<>();
    List<String> operationChecks = new ArrayList<>();
    for (CheckResult result : results) {
      if (result.passed() || !result.remediable()) {
        continue;
      }
      Optional<ActiveCheck> check = policy.check(result.check());
      if (check.isEmpty()) {
        continue;
      }
      Optional<List<Map<String, Object>>> ops = PatchTemplate.instantiate(
          check.get().check().definition().patch(), result.pointer(), policy.remediation());
      if (ops.isEmpty()) {
        continue;
      }
      for (Map<String, Object> op : ops.get()) {
        for (ObjectNode each : expand(current, MAPPER.valueToTree(op))) {
          for (ObjectNode concrete : concretize(current, each)) {
            ArrayNode single = JsonNodeFactory.instance.arrayNode().add(concrete);
            try {
              current = JsonPatch.apply(single, current);
              patch.add(concrete);
              operationChecks.add(result.check());
            } catch (JsonPatchException | IllegalArgumentException e) {
              // The object's shape does not allow this operation (a scalar where an object is
              // expected); leave that part unfixed rather than emit a patch that cannot apply.
              break;
            }
          }
        }
      }
      fixed.add(result.check());
    }
    return new RemediationPlan(patch, current, List.copyOf(fixed), List.copyOf(operationChecks));
  }

  /**
   * The operation once for every item where its path has a {@code *} token standing for a list
   * ({@code /ports/*}{@code /hostPort}: each port); none when that list is absent. A {@code *}
   * under an object, or nowhere in the path, leaves the operation as it is.
   */
  private static List<ObjectNode> expand(JsonNode document, ObjectNode op) {
    List<String> tokens = tokens(op.get("path").asText());
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      JsonNode parent = document.at(prefix.toString());
      if ("*".equals(tokens.get(i)) && (parent.isArray() || parent.isMissingNode())) {
        String rest = pointer(tokens.subList(i + 1, tokens.size()));
        List<ObjectNode> result = new ArrayList<>();
        for (int item = 0; item < parent.size(); item++) {
          ObjectNode one = op.deepCopy();
          one.put("path", prefix + "/" + item + rest);
          result.addAll(expand(document, one));
        }
        return result;
      }
      prefix.append('/').append(escape(tokens.get(i)));
    }
    return List.of(op);
  }

  private static String pointer(List<String> tokens) {
    StringBuilder pointer = new StringBuilder();
    for (String token : tokens) {
      pointer.append('/').append(escape(token));
    }
    return pointer.toString();
  }

  /** The operation made applicable to {@code document}: parents created, absent removes dropped. */
  private static List<ObjectNode> concretize(JsonNode document, ObjectNode op) {
    String path = op.get("path").asText();
    List<String> tokens = tokens(path);
    List<ObjectNode> result = new ArrayList<>();
    if ("remove".equals(op.get("op").asText())) {
      if (!document.at(path).isMissingNode()) {
        result.add(op);
      }
      return result;
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < tokens.size() - 1; i++) {
      prefix.append('/').append(escape(tokens.get(i)));
      JsonNode node = document.at(prefix.toString());
      if (node.isMissingNode() || node.isNull()) {
        ObjectNode add = JsonNodeFactory.instance.objectNode();
        add.put("op", "add");
        add.put("path", prefix.toString());
        add.set("value", JsonNodeFactory.instance.objectNode());
        result.add(add);
      }
    }
    if ("replace".equals(op.get("op").asText()) && document.at(path).isMissingNode()) {
      op.put("op", "add");
    }
    result.add(op);
    return result;
  }

  private static List<String> tokens(String pointer) {
    List<String> tokens = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
