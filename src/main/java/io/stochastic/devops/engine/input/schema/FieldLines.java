package io.stochastic.devops.engine.input.schema;

import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import java.io.Reader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The line a field of a manifest object is on. The tree the engine reads keeps no positions (it
 * would cost every object a map of them), so this reads the object's file again — only for the
 * few objects with a problem to show. Objects not from a readable file (stdin, a rendered chart)
 * get the line their document starts on.
 */
final class FieldLines {
  /** {@code file.yaml#3} or {@code file.yaml#3.items[2]}: document 3, item 2 of its List. */
  private static final Pattern SOURCE = Pattern.compile("#(\\d+)(?:\\.items\\[(\\d+)])?$");
  private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private FieldLines() {}

  /** The 1-based line of each path in the object, or the object's own line. */
  static int[] linesOf(KubeObject object, List<List<Object>> paths) {
    Node root = objectNode(object);
    int[] lines = new int[paths.size()];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = root == null ? object.line() : lineOf(root, paths.get(i), object.line());
    }
    return lines;
  }

  /** The line of the path's last field found: where its key is, or its item starts. */
  private static int lineOf(Node root, List<Object> path, int objectLine) {
    Node node = root;
    int line = startLine(root, objectLine);
    for (Object segment : path) {
      Node key = segment instanceof String field ? key(node, field) : null;
      node = child(node, segment);
      if (node == null) {
        break;
      }
      line = startLine(key != null ? key : node, line);
    }
    return line;
  }

  private static int startLine(Node node, int otherwise) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(otherwise);
  }

  private static Node objectNode(KubeObject object) {
    String file = object.file();
    Matcher source = object.source() == null ? null : SOURCE.matcher(object.source());
    if (file == null || source == null || !source.find()) {
      return null;
    }
    Path path = Path.of(file);
    try {
      if (!Files.isRegularFile(path) || Files.size(path) > MAX_FILE_BYTES) {
        return null;
      }
      int document = Integer.parseInt(source.group(1));
      LoadSettings settings = LoadSettings.builder().setUseMarks(true)
          .setCodePointLimit(Integer.MAX_VALUE).build();
      try (Reader reader = ManifestReader.boundedYamlReader(Files.newInputStream(path),
          ReadLimits.DEFAULT)) {
        Iterator<Node> documents = new Compose(settings).composeAllFromReader(reader).iterator();
        Node node = null;
        for (int i = 0; i <= document && documents.hasNext(); i++) {
          node = documents.next();
        }
        if (node != null && source.group(2) != null) {
          node = child(child(node, "items"), Integer.parseInt(source.group(2)));
        }
        // The file may have changed since, or be a template the object was rendered from.
        return isTheObject(node, object) ? node : null;
      }
    } catch (IOException | RuntimeException e) {
      return null; // not YAML as we read it (JSON stream, a template): the document's line
    }
  }

  private static boolean isTheObject(Node node, KubeObject object) {
    return node != null && scalar(child(node, "kind"), object.kind())
        && (scalar(child(child(node, "metadata"), "name"), object.name())
            || scalar(child(child(node, "metadata"), "generateName"), object.name())
            || object.name().isEmpty());
  }

  private static boolean scalar(Node node, String value) {
    return node instanceof ScalarNode scalar && scalar.getValue().equals(value);
  }

  private static Node child(Node node, Object segment) {
    if (segment instanceof String field) {
      NodeTuple tuple = tuple(node, field);
      return tuple == null ? null : tuple.getValueNode();
    }
    if (node instanceof SequenceNode sequence && segment instanceof Integer index
        && index < sequence.getValue().size()) {
      return sequence.getValue().get(index);
    }
    return null;
  }

  private static Node key(Node node, String field) {
    NodeTuple tuple = tuple(node, field);
    return tuple == null ? null : tuple.getKeyNode();
  }

  private static NodeTuple tuple(Node node, String field) {
    if (node instanceof MappingNode mapping) {
      List<NodeTuple> tuples = mapping.getValue();
      for (int i = tuples.size() - 1; i >= 0; i--) { // the last of duplicate keys wins
        if (tuples.get(i).getKeyNode() instanceof ScalarNode key
            && key.getValue().equals(field)) {
          return tuples.get(i);
        }
      }
    }
    return null;
  }
}
