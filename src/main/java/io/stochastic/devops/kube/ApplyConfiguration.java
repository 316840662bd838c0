package io.stochastic.devops.kube;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A server-side apply body holding only some fields of an object: its identity and the values at
 * the given JSON Pointers, with every list item it passes through identified by its merge key,
 * so that the apply claims exactly those fields and nothing a person set around them.
 *
 * <p>Lists are merged by key only where Kubernetes declares a key ({@code x-kubernetes-list-map-
 * keys}); the keys of the lists of a pod template are below. Through any other list the pointer
 * cannot address one item (Kubernetes replaces such a list as a whole), so the whole list is
 * carried.
 */
public final class ApplyConfiguration {
  /** The map keys of the keyed lists of a pod template, by the field that holds the list. */
  private static final Map<String, List<String>> LIST_KEYS = Map.ofEntries(
      Map.entry("containers", List.of("name")),
      Map.entry("initContainers", List.of("name")),
      Map.entry("ephemeralContainers", List.of("name")),
      Map.entry("env", List.of("name")),
      Map.entry("volumes", List.of("name")),
      Map.entry("imagePullSecrets", List.of("name")),
      Map.entry("resourceClaims", List.of("name")),
      Map.entry("ports", List.of("containerPort", "protocol")),
      Map.entry("volumeMounts", List.of("mountPath")),
      Map.entry("volumeDevices", List.of("devicePath")),
      Map.entry("hostAliases", List.of("ip")),
      Map.entry("topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable")));

  private ApplyConfiguration() {}

  /**
   * {@code apiVersion}, {@code kind}, {@code metadata.name} and {@code metadata.namespace} of
   * {@code source}, and its value at each pointer (absent pointers are skipped).
   */
  public static ObjectNode of(JsonNode source, Collection<String> pointers) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("apiVersion", source.path("apiVersion").deepCopy());
    body.set("kind", source.path("kind").deepCopy());
    ObjectNode metadata = body.putObject("metadata");
    metadata.set("name", source.path("metadata").path("name").deepCopy());
    if (source.path("metadata").has("namespace")) {
      metadata.set("namespace", source.path("metadata").path("namespace").deepCopy());
    }
    // In document order (list indexes as numbers), so that list items keep the object's order.
    List<List<String>> paths = pointers.stream().filter(p -> !source.at(p).isMissingNode())
        .map(ApplyConfiguration::tokens).sorted(ApplyConfiguration::compare).toList();
    for (List<String> path : paths) {
      copy(source, body, path, 0, null);
    }
    return body;
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      int order = isIndex(x) && isIndex(y)
          ? Integer.compare(Integer.parseInt(x), Integer.parseInt(y)) : x.compareTo(y);
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static boolean isIndex(String token) {
    return !token.isEmpty() && token.length() < 10 && token.chars().allMatch(Character::isDigit);
  }

  /** Copies {@code from} at {@code tokens[i..]} into {@code to}; {@code field} holds {@code from}. */
  private static void copy(JsonNode from, JsonNode to, List<String> tokens, int i, String field) {
    String token = tokens.get(i);
    boolean last = i == tokens.size() - 1;
    if (from.isObject()) {
      ObjectNode target = (ObjectNode) to;
      JsonNode child = from.get(token);
      if (last || !(child.isObject() || child.isArray())) {
        target.set(token, child.deepCopy());
      } else if (child.isArray() && !LIST_KEYS.containsKey(token)) {
        target.set(token, child.deepCopy()); // an atomic list: all or nothing
      } else {
        JsonNode existing = target.get(token);
        if (existing == null) {
          existing = child.isArray() ? target.putArray(token) : target.putObject(token);
        }
        copy(child, existing, tokens, i + 1, token);
      }
      return;
    }
    JsonNode item = from.get(Integer.parseInt(token));
    ObjectNode target = itemFor((ArrayNode) to, item, LIST_KEYS.get(field));
    // Owning an item itself (a managed field set's ".") is owning its keys, not its fields.
    if (!last) {
      copy(item, target, tokens, i + 1, null);
    }
  }

  /** The item of {@code list} with the keys of {@code item}, added (keys only) when missing. */
  private static ObjectNode itemFor(ArrayNode list, JsonNode item, List<String> keys) {
    for (JsonNode candidate : list) {
      if (keys.stream().allMatch(k -> candidate.path(k).equals(item.path(k)))) {
        return (ObjectNode) candidate;
      }
    }
    ObjectNode added = list.addObject();
    keys.stream().filter(item::has).forEach(k -> added.set(k, item.get(k).deepCopy()));
    return added;
  }

  private static List<String> tokens(String pointer) {
    List<String> tokens = new ArrayList<>();
    for (JsonPointer p = JsonPointer.compile(pointer); !p.matches(); p = p.tail()) {
      tokens.add(p.getMatchingProperty());
    }
    return tokens;
  }
}
