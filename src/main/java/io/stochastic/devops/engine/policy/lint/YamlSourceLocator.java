package io.stochastic.devops.engine.policy.lint;

import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * Locates fields in YAML (and JSON) files by composing them again, with positions, only when a
 * problem needs a line: linting clean files costs nothing here. Files are read from disk by the
 * name their objects carry; streams that cannot be read twice (stdin) are handed over as bytes.
 */
public final class YamlSourceLocator implements SourceLocator {
  private static final Pattern SOURCE = Pattern.compile("(.*)#(\\d+)((?:\\.items\\[\\d+])*)");
  private static final Pattern ITEM = Pattern.compile("\\.items\\[(\\d+)]");

  private final Map<String, byte[]> buffered;
  private final Map<String, Composed> documents = new HashMap<>();
  private final LoadSettings settings = LoadSettings.builder()
      .setUseMarks(true)
      .setCodePointLimit(Integer.MAX_VALUE)
      .build();

  /** @param buffered the contents of streams named by something other than a file path */
  public YamlSourceLocator(Map<String, byte[]> buffered) {
    this.buffered = Map.copyOf(buffered);
  }

  @Override
  public int line(KubeObject object, FieldPath field) {
    Matcher source = object.source() == null ? null : SOURCE.matcher(object.source());
    if (source == null || !source.matches()) {
      return object.line();
    }
    int index = Integer.parseInt(source.group(2));
    List<Node> docs = documents.computeIfAbsent(source.group(1), Composed::new).upTo(index);
    if (index >= docs.size() || docs.get(index) == null) {
      return object.line();
    }
    List<Object> path = new ArrayList<>();
    Matcher items = ITEM.matcher(source.group(3));
    while (items.find()) {
      path.add("items");
      path.add(Integer.parseInt(items.group(1)));
    }
    path.addAll(field.segments());
    return locate(docs.get(index), path);
  }

  private static int locate(Node document, List<Object> path) {
    Node node = document;
    int line = lineOf(document);
    for (Object segment : path) {
      Node next = null;
      if (segment instanceof Integer i && node instanceof SequenceNode sequence) {
        if (i < sequence.getValue().size()) {
          next = sequence.getValue().get(i);
          line = lineOf(next);
        }
      } else if (node instanceof MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode key
              && key.getValue().equals(segment.toString())) {
            next = tuple.getValueNode();
            line = lineOf(key);
            break;
          }
        }
      }
      if (next == null) {
        return line;
      }
      node = next;
    }
    return line;
  }

  private static int lineOf(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /**
   * The documents of a file, indexed as ManifestReader indexes them (empty ones included),
   * composed as far as a problem needs: a file may hold hostile documents after the policy, and
   * those ManifestReader refused are not composed here. Read within the same limits; only
   * regular files and buffered streams are read again (a FIFO or a device cannot be).
   */
  private final class Composed {
    private final String file;
    private List<Node> nodes = new ArrayList<>();
    /** Whether the file has no more documents to compose (its end, or what stopped reading). */
    private boolean complete;

    Composed(String file) {
      this.file = file;
    }

    /** The documents up to {@code index} at least, unless the file ends before. */
    List<Node> upTo(int index) {
      if (complete || nodes.size() > index) {
        return nodes;
      }
      // Composed again from the start (problems come in document order, and policy files are
      // small), so that no file stays open between two problems.
      List<Node> composed = new ArrayList<>();
      try (InputStream in = open(file)) {
        if (in != null) {
          Reader reader = ManifestReader.boundedYamlReader(in, ReadLimits.DEFAULT);
          Iterator<Node> documents = new Compose(settings).composeAllFromReader(reader)
              .iterator();
          while (composed.size() <= index && documents.hasNext()) {
            composed.add(documents.next());
          }
          complete = composed.size() <= index;
        } else {
          complete = true;
        }
      } catch (IOException | RuntimeException | StackOverflowError e) {
        // Read before: the file changed since, or a limit. Lines fall back to the documents'.
        complete = true;
      }
      nodes = composed;
      return nodes;
    }
  }

  /** The stream of a buffered source or a regular file; null for anything else. */
  private InputStream open(String file) throws IOException {
    byte[] bytes = buffered.get(file);
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    Path path = Path.of(file);
    return Files.isRegularFile(path) ? Files.newInputStream(path) : null;
  }
}
