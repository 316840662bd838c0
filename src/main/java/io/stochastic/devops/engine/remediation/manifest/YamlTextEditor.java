package io.stochastic.devops.engine.remediation.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Applies one JSON Patch operation to the text of a YAML stream as the smallest edit that gives
 * the same tree: the target is found by its node marks, and only the lines (block style) or the
 * characters (flow style) of the changed entry are touched, so comments, key order and
 * formatting elsewhere stay as they are. The text is composed again for every operation: the
 * marks of the previous composition are stale once the text changed.
 */
final class YamlTextEditor {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");
  private static final Pattern NOT_A_STRING = Pattern.compile(
      "(?i)true|false|yes|no|on|off|y|n|null|~|[-+]?(\\.inf|\\.nan)");

  private YamlTextEditor() {}

  /** The documents of {@code text}, composed with their marks; throws on a syntax error. */
  static List<Node> compose(String text) {
    LoadSettings settings = LoadSettings.builder().setParseComments(true).build();
    Composer composer = new Composer(settings,
        new ParserImpl(settings, new StreamReader(settings, text)));
    List<Node> documents = new ArrayList<>();
    Iterator<Node> it = composer;
    while (it.hasNext()) {
      documents.add(it.next());
    }
    return documents;
  }

  /** {@code text} with {@code op} applied to document {@code document}. */
  static String apply(String text, int document, String op, String pointer, JsonNode value) {
    Node root = compose(text).get(document);
    List<String> tokens = tokens(pointer);
    Node parent = root;
    NodeTuple parentEntry = null;
    refuseShared(root);
    for (String token : tokens.subList(0, tokens.size() - 1)) {
      if (parent instanceof MappingNode mapping) {
        parentEntry = entry(mapping, token);
        if (parentEntry == null) {
          throw new EditRefused("no " + pointer + " in the text (a merge key?)");
        }
        parent = parentEntry.getValueNode();
      } else if (parent instanceof SequenceNode sequence && token.matches("\\d+")
          && Integer.parseInt(token) < sequence.getValue().size()) {
        parentEntry = null;
        parent = sequence.getValue().get(Integer.parseInt(token));
      } else {
        throw new EditRefused("no " + pointer + " in the text");
      }
      refuseShared(parent);
    }
    if (!(parent instanceof MappingNode mapping)) {
      throw new EditRefused(pointer + ": only mapping entries are edited");
    }
    String key = tokens.get(tokens.size() - 1);
    NodeTuple existing = entry(mapping, key);
    if (existing != null) {
      refuseShared(existing.getValueNode());
    }
    TextPositions positions = new TextPositions(text);
    return switch (op) {
      case "remove" -> existing == null ? text : remove(text, positions, mapping, existing);
      case "add", "replace" -> existing == null
          ? add(text, positions, mapping, parentEntry, key, value)
          : replace(text, positions, mapping, existing, key, value);
      default -> throw new EditRefused("operation " + op + " is not edited in text");
    };
  }

  private static void refuseShared(Node node) {
    if (node.getAnchor().isPresent()) {
      throw new EditRefused("inside anchor &" + node.getAnchor().get().getValue()
          + ", which aliases may share: fixing it would change every object that uses it");
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode s && "<<".equals(s.getValue())) {
          throw new EditRefused("a mapping with a merge key (<<)");
        }
      }
    }
  }

  private static NodeTuple entry(MappingNode mapping, String key) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode s && key.equals(s.getValue())) {
        return tuple;
      }
    }
    return null;
  }

  private static boolean flow(Node node) {
    return (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.FLOW)
        || (node instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.FLOW);
  }

  /** Where the last character of {@code node}'s own text ends (not the comments after it). */
  private static Mark contentEnd(Node node) {
    if (!flow(node) && node instanceof MappingNode m && !m.getValue().isEmpty()) {
      return contentEnd(m.getValue().get(m.getValue().size() - 1));
    }
    if (!flow(node) && node instanceof SequenceNode s && !s.getValue().isEmpty()) {
      Node last = s.getValue().get(s.getValue().size() - 1);
      if (before(last, node)) {
        throw new EditRefused("a sequence that ends with an alias");
      }
      return contentEnd(last);
    }
    return node.getEndMark().orElseThrow();
  }

  /**
   * Where an entry's text ends. An alias value ({@code key: *name}) is composed as the anchored
   * node itself, whose marks are where the anchor is: the entry then ends on its key's line.
   */
  private static Mark contentEnd(NodeTuple entry) {
    Node value = entry.getValueNode();
    if (before(value, entry.getKeyNode())) {
      return entry.getKeyNode().getEndMark().orElseThrow();
    }
    return contentEnd(value);
  }

  /** Whether {@code node} starts before {@code other}: it is an alias of an earlier anchor. */
  private static boolean before(Node node, Node other) {
    return node.getAnchor().isPresent() && node.getStartMark().orElseThrow().getIndex()
        < other.getStartMark().orElseThrow().getIndex();
  }

  private static String remove(String text, TextPositions at, MappingNode mapping,
      NodeTuple entry) {
    Mark keyStart = entry.getKeyNode().getStartMark().orElseThrow();
    Mark valueEnd = contentEnd(entry);
    if (!flow(mapping)) {
      if (mapping.getValue().size() == 1) {
        throw new EditRefused("removing the only entry of a mapping");
      }
      int from = at.lineStart(keyStart.getLine());
      int to = at.lineStart(lastLine(at, valueEnd) + 1);
      return text.substring(0, from) + text.substring(to);
    }
    int from = at.offset(keyStart);
    int to = at.offset(valueEnd);
    int after = skipSpaces(text, to);
    if (after < text.length() && text.charAt(after) == ',') {
      to = skipSpaces(text, after + 1);
    } else {
      int before = from - 1;
      while (before >= 0 && text.charAt(before) == ' ') {
        before--;
      }
      if (before >= 0 && text.charAt(before) == ',') {
        from = before;
      }
    }
    return text.substring(0, from) + text.substring(to);
  }

  /** The line a node's text ends on: a mark at column 0 ends the line before it. */
  private static int lastLine(TextPositions at, Mark end) {
    return end.getColumn() == 0 && end.getLine() > 0 ? end.getLine() - 1 : end.getLine();
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static String replace(String text, TextPositions at, MappingNode mapping,
      NodeTuple entry, String key, JsonNode value) {
    Node old = entry.getValueNode();
    if (old instanceof ScalarNode && value.isValueNode()) {
      int from = at.offset(old.getStartMark().orElseThrow());
      int to = at.offset(old.getEndMark().orElseThrow());
      String rendered = scalar(value);
      if (from == to) {
        // An empty value (key:) has no text of its own: keep a space after the colon.
        rendered = " " + rendered;
      }
      return text.substring(0, from) + rendered + text.substring(to);
    }
    if (flow(mapping) || flow(old)) {
      int from = at.offset(old.getStartMark().orElseThrow());
      int to = at.offset(contentEnd(old));
      return text.substring(0, from) + flowValue(value) + text.substring(to);
    }
    Mark keyStart = entry.getKeyNode().getStartMark().orElseThrow();
    int from = at.lineStart(keyStart.getLine());
    int to = at.lineStart(lastLine(at, contentEnd(old)) + 1);
    String block = blockEntry(key, value, keyStart.getColumn(), at.lineBreak());
    return text.substring(0, from) + block + text.substring(to);
  }

  private static String add(String text, TextPositions at, MappingNode mapping,
      NodeTuple mappingEntry, String key, JsonNode value) {
    if (flow(mapping)) {
      Mark end = mapping.getEndMark().orElseThrow();
      int close = at.offset(end) - 1;
      if (mapping.getValue().isEmpty() && mappingEntry != null
          && !flow(mappingEntry.getKeyNode())) {
        // key: {} in a block mapping becomes a block of its own, as the file would write it.
        int indent = mappingEntry.getKeyNode().getStartMark().orElseThrow().getColumn() + 2;
        int open = at.offset(mapping.getStartMark().orElseThrow());
        int from = open;
        while (from > 0 && text.charAt(from - 1) == ' ') {
          from--;
        }
        String block = blockEntry(key, value, indent, at.lineBreak());
        return text.substring(0, from) + at.lineBreak()
            + block.substring(0, block.length() - at.lineBreak().length())
            + text.substring(close + 1);
      }
      String item = plainKey(key) + ": " + flowValue(value);
      if (mapping.getValue().isEmpty()) {
        return text.substring(0, close) + item + text.substring(close);
      }
      int last = at.offset(contentEnd(mapping.getValue().get(mapping.getValue().size() - 1)));
      return text.substring(0, last) + ", " + item + text.substring(last);
    }
    NodeTuple first = mapping.getValue().get(0);
    int indent = first.getKeyNode().getStartMark().orElseThrow().getColumn();
    NodeTuple last = mapping.getValue().get(mapping.getValue().size() - 1);
    int line = lastLine(at, contentEnd(last));
    int insertAt = at.lineStart(line + 1);
    String prefix = "";
    if (insertAt == text.length() && !text.isEmpty() && !endsWithBreak(text)) {
      prefix = at.lineBreak();
    }
    return text.substring(0, insertAt) + prefix
        + blockEntry(key, value, indent, at.lineBreak()) + text.substring(insertAt);
  }

  private static boolean endsWithBreak(String text) {
    char c = text.charAt(text.length() - 1);
    return c == '\n' || c == '\r';
  }

  /** {@code key: value} as block lines at {@code indent}, each ending with a line break. */
  static String blockEntry(String key, JsonNode value, int indent, String lineBreak) {
    String pad = " ".repeat(indent);
    StringBuilder out = new StringBuilder(pad).append(plainKey(key)).append(':');
    if (value.isObject() && !value.isEmpty()) {
      out.append(lineBreak);
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        out.append(blockEntry(e.getKey(), e.getValue(), indent + 2, lineBreak));
      }
    } else if (value.isArray() && !value.isEmpty()) {
      out.append(lineBreak);
      for (JsonNode item : value) {
        if (item.isObject() && !item.isEmpty()) {
          StringBuilder entries = new StringBuilder();
          for (Map.Entry<String, JsonNode> e : item.properties()) {
            entries.append(blockEntry(e.getKey(), e.getValue(), indent + 4, lineBreak));
          }
          out.append(pad).append("  - ").append(entries.substring(indent + 4));
        } else {
          out.append(pad).append("  - ").append(flowValue(item)).append(lineBreak);
        }
      }
    } else {
      out.append(' ').append(flowValue(value)).append(lineBreak);
    }
    return out.toString();
  }

  static String flowValue(JsonNode value) {
    if (value.isObject()) {
      List<String> items = new ArrayList<>();
      value.properties().forEach(e -> items.add(plainKey(e.getKey()) + ": "
          + flowValue(e.getValue())));
      return "{" + String.join(", ", items) + "}";
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(flowValue(item)));
      return "[" + String.join(", ", items) + "]";
    }
    return scalar(value);
  }

  private static String plainKey(String key) {
    return quoted(key);
  }

  private static String scalar(JsonNode value) {
    if (value.isTextual()) {
      return quoted(value.asText());
    }
    return value.isNull() ? "null" : value.asText();
  }

  /** A string plain when YAML reads it back as the same string, JSON-quoted otherwise. */
  private static String quoted(String s) {
    if (PLAIN.matcher(s).matches() && !NOT_A_STRING.matcher(s).matches()
        || s.matches("[0-9]+[A-Za-z][A-Za-z0-9]*") && !s.matches("[0-9]+[eE][0-9]*")
        && !s.matches("0[xXoO].*")) {
      return s;
    }
    try {
      return MAPPER.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> tokens(String pointer) {
    List<String> tokens = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  /** A text change that would not be the operation exactly, or would change shared nodes. */
  static final class EditRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EditRefused(String message) {
      super(message);
    }
  }

  /** Offsets of lines in the text, counting line breaks as snakeyaml-engine does. */
  private static final class TextPositions {
    private final String text;
    private final List<Integer> starts = new ArrayList<>();
    private final String lineBreak;

    TextPositions(String text) {
      this.text = text;
      this.lineBreak = text.contains("\r\n") ? "\r\n" : "\n";
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          continue;
        }
        if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
          starts.add(i + 1);
        }
      }
    }

    String lineBreak() {
      return lineBreak;
    }

    int lineStart(int line) {
      return line < starts.size() ? starts.get(line) : text.length();
    }

    int offset(Mark mark) {
      int start = lineStart(mark.getLine());
      return text.offsetByCodePoints(start, mark.getColumn());
    }
  }
}
