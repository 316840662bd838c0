package io.stochastic.devops.engine.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one normalisation of JSON objects (a cluster's lists, an informer's cache, an
 * AdmissionReview) into the trees the manifest reader makes: maps in field order, lists, strings,
 * booleans, whole numbers as {@code Long} (as {@code Double} beyond its range), other numbers as
 * {@code Double}, and no null-valued fields at any depth (absent to Kubernetes and to CEL's
 * {@code has()}). The same object therefore gives the same verdict from a file or a cluster.
 */
public final class ObjectTrees {
  /** Deeper JSON than this is hostile input; the API server caps objects far below it. */
  private static final int MAX_DEPTH = 200;

  private ObjectTrees() {}

  /** A {@link KubeObject} from a JSON object, or null when {@code node} is not an object. */
  public static KubeObject kubeObject(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return new KubeObject(map(node, 0, false), source, null);
  }

  /**
   * {@link #kubeObject} with immutable maps ({@link CompactMap} up to its size): the same content
   * in a third of the memory, for objects kept for long (the operator converts each informer
   * object once and keeps it until it changes).
   */
  public static KubeObject compactKubeObject(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return new KubeObject(map(node, 0, true), source, null);
  }

  /** The tree of a JSON object. */
  public static Map<String, Object> tree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return map(node, 0, false);
  }

  private static Map<String, Object> map(JsonNode node, int depth, boolean compact) {
    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 4 / 3 + 1));
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      Object value = value(field.getValue(), depth + 1, compact);
      if (value != null) {
        map.put(field.getKey(), value);
      }
    }
    return compact ? CompactMap.of(map) : map;
  }

  private static Object value(JsonNode node, int depth, boolean compact) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("object nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (node.getNodeType()) {
      case OBJECT:
        return map(node, depth, compact);
      case ARRAY: {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          list.add(value(item, depth + 1, compact));
        }
        return list;
      }
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        if (node.isIntegralNumber()) {
          return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        return node.doubleValue();
      case NULL:
      case MISSING:
        return null;
      default:
        return node.asText();
    }
  }
}
