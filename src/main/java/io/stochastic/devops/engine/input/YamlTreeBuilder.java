package io.stochastic.devops.engine.input;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Builds the plain tree the engine reads straight from the YAML parser's events, one document at
 * a time: maps with string keys, lists, strings, booleans, longs and doubles. Reading events,
 * rather than composing snakeyaml's node graph and walking it, creates no node per value and
 * remembers only anchored values. Aliases resolve to the anchored value (built once and shared);
 * merge keys ({@code <<}) merge as Kubernetes's decoder does. Depth, aliases to collections and
 * the size the document would have once every alias is expanded are bounded: a document that
 * would expand past {@code maxExpandedNodes} is refused like an alias bomb.
 */
final class YamlTreeBuilder {
  private static final int MAX_CANONICAL_KEY_LENGTH = 128;
  private static final int MAX_SHARED_VALUE_LENGTH = 64;
  /** Bounds the memory the shared values take while a stream is read. */
  private static final int MAX_SHARED_VALUES = 16_384;
  /** Mappings with more fields than this look their keys up in a set to find duplicates. */
  private static final int MAX_SCANNED_FIELDS = 8;

  /**
   * One document's tree, null when the document is empty, the line its root starts on and the
   * lines the items of its root's {@code items} sequence start on (a {@code List}'s objects;
   * empty when there is no such sequence).
   */
  record Document(Object root, int line, int[] itemLines) {
    /** The line item {@code i} of the root's {@code items} starts on, else the document's. */
    int itemLine(int i) {
      return i < itemLines.length && itemLines[i] > 0 ? itemLines[i] : line;
    }
  }

  private static final int[] NO_LINES = new int[0];

  private final Iterator<Event> events;
  private final ScalarResolver resolver;
  private final ReadLimits limits;
  /** This document's anchors by name; an anchor named again replaces the earlier one. */
  private final Map<String, Anchored> anchors = new HashMap<>();
  /** Short text values read so far in this stream, each the instance the trees share. */
  private final Map<String, String> sharedValues = new HashMap<>();
  private long expanded;
  /** Whether the document being built used an alias: the expanded-node limit applies. */
  private boolean aliased;
  private int collectionAliases;
  /**
   * The keys and values (alternating) of the mappings being read, innermost last: a mapping's
   * map is made once all its fields are known.
   */
  private Object[] pending = new Object[64];
  private int pendingSize;
  /** The event that starts the root's {@code items} sequence, and the lines its items start on. */
  private Event rootItems;
  private int[] itemLines = NO_LINES;

  YamlTreeBuilder(Iterator<Event> events, ScalarResolver resolver, ReadLimits limits) {
    this.events = events;
    this.resolver = resolver;
    this.limits = limits;
  }

  /** Builds the next document of the stream; null after the last one. */
  Document next() {
    Event event = events.next();
    if (event.getEventId() == Event.ID.StreamStart) {
      event = events.next();
    }
    if (event.getEventId() == Event.ID.StreamEnd) {
      return null;
    }
    // The event was DOCUMENT-START. Anchors and limits are per document.
    anchors.clear();
    expanded = 0;
    aliased = false;
    collectionAliases = 0;
    Arrays.fill(pending, 0, pendingSize, null); // left by a document that failed
    pendingSize = 0;
    rootItems = null;
    itemLines = NO_LINES;
    Event rootEvent = events.next();
    int line = lineOf(rootEvent);
    Object root = build(rootEvent, 0);
    events.next(); // DOCUMENT-END
    return new Document(root, line, itemLines);
  }

  private static int lineOf(Event event) {
    return event.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** Builds the value that starts with {@code event}, consuming the events up to its end. */
  private Object build(Event event, int depth) {
    // Checked before descending, so that no input can recurse deeper than the limit.
    if (depth > limits.maxNestingDepth()) {
      throw new DocumentLimitExceeded("nested deeper than " + limits.maxNestingDepth()
          + " levels");
    }
    return switch (event.getEventId()) {
      case Scalar -> scalar((ScalarEvent) event);
      case MappingStart -> mapping((CollectionStartEvent) event, depth);
      case SequenceStart -> sequence((CollectionStartEvent) event, depth);
      case Alias -> alias((AliasEvent) event);
      default -> throw new IllegalStateException("unexpected YAML event " + event);
    };
  }

  private Object scalar(ScalarEvent event) {
    countExpanded(1);
    Tag tag = tagOf(event);
    Object value;
    try {
      value = scalarValue(event.getValue(), tag);
    } catch (NumberFormatException e) {
      // Only an explicit tag gets here ("!!int abc"): the resolver never calls text a number
      // unless it reads as one.
      throw new ComposerException("'" + event.getValue() + "' is not a valid "
          + tag.getValue().replace(Tag.PREFIX, "!!"), event.getStartMark());
    }
    Anchored anchored = anchorOf(event, false);
    if (anchored != null) {
      anchored.mergeKey = isMergeKey(event);
      anchored.built(value, 1);
    }
    return value;
  }

  private List<Object> sequence(CollectionStartEvent start, int depth) {
    long before = expanded;
    countExpanded(1);
    Anchored anchored = anchorOf(start, true);
    ArrayList<Object> list = new ArrayList<>();
    boolean rootItemsList = start == rootItems;
    List<Integer> lines = rootItemsList ? new ArrayList<>() : null;
    for (Event item = events.next(); item.getEventId() != Event.ID.SequenceEnd;
        item = events.next()) {
      if (lines != null) {
        lines.add(lineOf(item));
      }
      list.add(shared(build(item, depth + 1)));
    }
    if (lines != null) {
      itemLines = lines.stream().mapToInt(Integer::intValue).toArray();
    }
    // Trees live as long as the audit: no spare capacity (most lists hold one or two items).
    list.trimToSize();
    if (anchored != null) {
      anchored.built(list, expanded - before);
    }
    return list;
  }

  private Map<String, Object> mapping(CollectionStartEvent start, int depth) {
    long before = expanded;
    countExpanded(1);
    Anchored anchored = anchorOf(start, true);
    // The fields are gathered first and the map made at its final size: a default map's table
    // has 16 slots, and most mappings of a manifest have one to three fields.
    int first = pendingSize;
    List<Map<String, Object>> merged = null;
    Set<String> keys = null;
    for (Event keyEvent = events.next(); keyEvent.getEventId() != Event.ID.MappingEnd;
        keyEvent = events.next()) {
      if (isMergeKey(keyEvent)) {
        if (merged == null) {
          merged = new ArrayList<>();
        }
        collectMerge(build(events.next(), depth + 1), merged);
        continue;
      }
      String key = canonicalKey(String.valueOf(build(keyEvent, depth + 1)));
      // Duplicates: a scan of the few fields most mappings have, a hash set past that.
      if (keys == null && pendingSize - first > 2 * MAX_SCANNED_FIELDS) {
        keys = new HashSet<>();
        for (int i = first; i < pendingSize; i += 2) {
          keys.add((String) pending[i]);
        }
      }
      if (keys != null ? keys.contains(key) : isPending(first, key)) {
        throw new DocumentLimitExceeded("duplicate key '" + key + "'" + keyEvent.getStartMark()
            .map(m -> " at line " + (m.getLine() + 1)).orElse(""));
      }
      Event valueEvent = events.next();
      if (depth == 0 && "items".equals(key)) {
        rootItems = valueEvent; // a List's objects: their lines are kept
      }
      Object value = shared(build(valueEvent, depth + 1));
      // A field without a value is absent, as Kubernetes reads it ("securityContext:" alone);
      // CEL's a.?b.?c treats an absent b as no value but fails on a null one.
      if (value != null) {
        addPending(key, value);
        if (keys != null) {
          keys.add(key);
        }
      }
    }
    int fields = (pendingSize - first) / 2;
    if (merged != null) {
      for (Map<String, Object> source : merged) {
        fields += source.size();
      }
    }
    Map<String, Object> map = new LinkedHashMap<>((int) Math.ceil(fields / 0.75));
    for (int i = first; i < pendingSize; i += 2) {
      map.put((String) pending[i], pending[i + 1]);
    }
    Arrays.fill(pending, first, pendingSize, null);
    pendingSize = first;
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    if (merged != null) {
      for (Map<String, Object> source : merged) {
        source.forEach(map::putIfAbsent);
      }
    }
    if (anchored != null) {
      anchored.built(map, expanded - before);
    }
    return map;
  }

  /**
   * One String instance per short text value within a stream: values repeat from workload to
   * workload ({@code RuntimeDefault}, {@code 100m}, {@code /healthz}): the 10,000-workload
   * corpus's trees held 420,000 value strings, 62,000 once shared within each file. Fewer
   * objects survive the read into the old generation, and the trees take less memory while
   * they are judged.
   */
  private Object shared(Object value) {
    if (value instanceof String text && text.length() <= MAX_SHARED_VALUE_LENGTH) {
      String known = sharedValues.get(text);
      if (known != null) {
        return known;
      }
      if (sharedValues.size() < MAX_SHARED_VALUES) {
        sharedValues.put(text, text);
      }
    }
    return value;
  }

  /** Whether the fields of {@link #pending} from {@code first} on have the key {@code key}. */
  private boolean isPending(int first, String key) {
    for (int i = first; i < pendingSize; i += 2) {
      if (key.equals(pending[i])) {
        return true;
      }
    }
    return false;
  }

  private void addPending(String key, Object value) {
    if (pendingSize + 2 > pending.length) {
      pending = Arrays.copyOf(pending, pending.length * 2);
    }
    pending[pendingSize++] = key;
    pending[pendingSize++] = value;
  }

  /** Registers the anchor {@code event} carries, if any, before its value is read. */
  private Anchored anchorOf(NodeEvent event, boolean collection) {
    Optional<Anchor> anchor = event.getAnchor();
    if (anchor.isEmpty()) {
      return null;
    }
    Anchored anchored = new Anchored(collection);
    anchors.put(anchor.get().getValue(), anchored);
    return anchored;
  }

  private Object alias(AliasEvent event) {
    Anchored anchored = anchors.get(event.getAlias().getValue());
    // Reported as the YAML composer reports its problems: "malformed YAML at line L, column C".
    if (anchored == null) {
      throw new ComposerException("found undefined alias " + event.getAlias(),
          event.getStartMark());
    }
    if (anchored.value == Anchored.BUILDING) {
      throw new ComposerException("found alias " + event.getAlias()
          + " inside the value it refers to (a recursive value)", event.getStartMark());
    }
    if (anchored.collection && ++collectionAliases > limits.maxAliases()) {
      throw new DocumentLimitExceeded("too many YAML aliases (possible alias bomb): more than "
          + limits.maxAliases() + " aliases to collections");
    }
    // The alias costs what its expansion would, but shares the value.
    aliased = true;
    countExpanded(anchored.expandedSize);
    return anchored.value;
  }

  /**
   * A merge key is a plain {@code <<}, or one tagged {@code !!merge}, or an alias to either. The
   * key is not a field: it is neither built nor counted.
   */
  private boolean isMergeKey(Event key) {
    if (key instanceof ScalarEvent scalar) {
      return scalar.isPlain() && "<<".equals(scalar.getValue())
          || scalar.getTag().filter(Tag.MERGE.getValue()::equals).isPresent();
    }
    if (key instanceof AliasEvent alias) {
      Anchored anchored = anchors.get(alias.getAlias().getValue());
      return anchored != null && anchored.mergeKey;
    }
    return false;
  }

  /** The scalar's tag as the YAML composer assigns it. */
  private Tag tagOf(ScalarEvent event) {
    Optional<String> tag = event.getTag();
    if (tag.isEmpty() || "!".equals(tag.get())) {
      // Untagged, or the non-specific "!": only a plain scalar resolves by its text.
      return resolver.resolve(event.getValue(), event.getImplicit().canOmitTagInPlainScalar());
    }
    return new Tag(tag.get());
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

  /**
   * Counts nodes as if aliases were expanded; past the limit, a document that used an alias is
   * refused. One without aliases is bounded by its size already: a large
   * {@code kubectl get -o yaml} List has more than a million nodes and is no bomb.
   */
  private void countExpanded(long nodes) {
    expanded += nodes;
    if (aliased && expanded > limits.maxExpandedNodes()) {
      throw new DocumentLimitExceeded("expands to more than " + limits.maxExpandedNodes()
          + " nodes through YAML aliases (possible alias bomb)");
    }
  }

  private static Object scalarValue(String text, Tag tag) {
    if (tag == Tag.STR) {
      return text; // most scalars: spares four Tag.equals (string comparisons) each
    }
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return KubernetesYamlSchema.booleanValue(text);
    }
    if (Tag.INT.equals(tag)) {
      return integer(requireShortNumber(text));
    }
    if (Tag.FLOAT.equals(tag)) {
      return floating(requireShortNumber(text));
    }
    return text;
  }

  /**
   * Refuses a number of more than {@link ReadLimits#MAX_NUMBER_CHARS} characters, as the JSON
   * reader does: converting a million digits costs minutes, and no field is such a number.
   */
  private static String requireShortNumber(String text) {
    if (text.length() > ReadLimits.MAX_NUMBER_CHARS) {
      throw new DocumentLimitExceeded("a number longer than " + ReadLimits.MAX_NUMBER_CHARS
          + " digits");
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

  /** What an anchor names: its value once built, and what each alias to it costs. */
  private static final class Anchored {
    /** The value of an anchor whose collection is still being read. */
    static final Object BUILDING = new Object();

    final boolean collection;
    /** A scalar that, used as a key through an alias, is a merge key. */
    boolean mergeKey;
    Object value = BUILDING;
    long expandedSize;

    Anchored(boolean collection) {
      this.collection = collection;
    }

    void built(Object value, long expandedSize) {
      this.value = value;
      this.expandedSize = expandedSize;
    }
  }
}
