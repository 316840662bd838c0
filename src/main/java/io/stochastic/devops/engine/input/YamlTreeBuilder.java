package io.stochastic.devops.engine.input;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns a composed YAML document into the plain tree the engine reads: maps with string keys,
 * lists, strings, booleans, longs and doubles. Aliases resolve to the anchored value (built once
 * and shared); merge keys ({@code <<}) merge as Kubernetes's decoder does. The size the document
 * would have once every alias is expanded, and its depth, are bounded: a document that would
 * expand past {@code maxExpandedNodes} is refused like an alias bomb.
 */
final class YamlTreeBuilder {
  private static final int MAX_CANONICAL_KEY_LENGTH = 128;

  private final int maxDepth;
  private final long maxExpandedNodes;
  private final Map<Node, Object> built = new IdentityHashMap<>();
  private final Map<Node, Long> expandedSize = new IdentityHashMap<>();
  private long expanded;

  YamlTreeBuilder(int maxDepth, long maxExpandedNodes) {
    this.maxDepth = maxDepth;
    this.maxExpandedNodes = maxExpandedNodes;
  }

  Object build(Node node) {
    return build(node, 0);
  }

  private Object build(Node node, int depth) {
    if (depth > maxDepth) {
      throw new DocumentLimitExceeded("nested deeper than " + maxDepth + " levels");
    }
    Long size = expandedSize.get(node);
    if (size != null) {
      // An alias of a node already built: count what its expansion would cost, share the value.
      countExpanded(size);
      return built.get(node);
    }
    long before = expanded;
    countExpanded(1);
    Object value;
    if (node instanceof ScalarNode scalar) {
      value = scalar(scalar);
    } else if (node instanceof SequenceNode sequence) {
      List<Object> list = new ArrayList<>(sequence.getValue().size());
      for (Node item : sequence.getValue()) {
        list.add(build(item, depth + 1));
      }
      value = list;
    } else {
      value = mapping((MappingNode) node, depth);
    }
    built.put(node, value);
    expandedSize.put(node, expanded - before);
    return value;
  }

  private Map<String, Object> mapping(MappingNode node, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    List<Map<String, Object>> merged = new ArrayList<>();
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)
          || keyNode instanceof ScalarNode s && "<<".equals(s.getValue()) && s.isPlain()) {
        collectMerge(build(tuple.getValueNode(), depth + 1), merged);
        continue;
      }
      String key = canonicalKey(String.valueOf(build(keyNode, depth + 1)));
      if (map.containsKey(key)) {
        throw new DocumentLimitExceeded("duplicate key '" + key + "'" + keyNode.getStartMark()
            .map(m -> " at line " + (m.getLine() + 1)).orElse(""));
      }
      Object value = build(tuple.getValueNode(), depth + 1);
      // A field without a value is absent, as Kubernetes reads it ("securityContext:" alone);
      // CEL's a.?b.?c treats an absent b as no value but fails on a null one.
      if (value != null) {
        map.put(key, value);
      }
    }
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    for (Map<String, Object> source : merged) {
      source.forEach(map::putIfAbsent);
    }
    return map;
  }

  /**
   * One String instance per field name across all documents: every CEL field selection compares
   * its name with a map's keys, and shared keys stay in the CPU cache where per-document copies
   * (two cache misses per lookup) do not. The JVM's string table is weak, so names of documents
   * no longer held are collected; long keys (data, not field names) are left alone.
   */
  private static String canonicalKey(String key) {
    return key.length() <= MAX_CANONICAL_KEY_LENGTH ? key.intern() : key;
  }

  @SuppressWarnings("unchecked")
  private static void collectMerge(Object value, List<Map<String, Object>> into) {
    if (value instanceof Map<?, ?> map) {
      into.add((Map<String, Object>) map);
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          into.add((Map<String, Object>) map);
        }
      }
    }
  }

  private void countExpanded(long nodes) {
    expanded += nodes;
    if (expanded > maxExpandedNodes) {
      throw new DocumentLimitExceeded("expands to more than " + maxExpandedNodes
          + " nodes through YAML aliases (possible alias bomb)");
    }
  }

  private static Object scalar(ScalarNode node) {
    String text = node.getValue();
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return KubernetesYamlSchema.booleanValue(text);
    }
    if (Tag.INT.equals(tag)) {
      return integer(text);
    }
    if (Tag.FLOAT.equals(tag)) {
      return floating(text);
    }
    return text;
  }

  private static Object integer(String text) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    int radix = 10;
    if (t.startsWith("0x")) {
      radix = 16;
      t = t.substring(2);
    } else if (t.startsWith("0o")) {
      radix = 8;
      t = t.substring(2);
    }
    BigInteger value = new BigInteger(t, radix);
    if (negative) {
      value = value.negate();
    }
    return value.bitLength() < 64 ? (Object) value.longValue() : (Object) value.doubleValue();
  }

  private static Object floating(String text) {
    return switch (text) {
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> Double.POSITIVE_INFINITY;
      case "-.inf", "-.Inf", "-.INF" -> Double.NEGATIVE_INFINITY;
      case ".nan", ".NaN", ".NAN" -> Double.NaN;
      default -> Double.parseDouble(text.replace("_", ""));
    };
  }
}
