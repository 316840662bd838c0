package io.stochastic.devops.engine.input;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map in insertion order, its keys and values side by side in one array: for the
 * trees a process keeps for long (the operator's memo of its informer objects), where a
 * {@code LinkedHashMap} costs three times as much for the one or two fields most JSON objects of
 * a pod have (a {@code managedFields} entry is mostly empty objects). Lookups scan the keys, so
 * only small maps are made compact ({@link #MAX_SIZE}); equality and hash are any map's.
 */
public final class CompactMap extends AbstractMap<String, Object> {
  /** Larger maps stay hash maps: a lookup scans the keys. */
  public static final int MAX_SIZE = 16;
  private static final CompactMap EMPTY = new CompactMap(new Object[0]);

  /** key, value, key, value... */
  private final Object[] entries;

  private CompactMap(Object[] entries) {
    this.entries = entries;
  }

  /** {@code map}'s entries in its order, compact when small enough, else {@code map} itself. */
  public static Map<String, Object> of(Map<String, Object> map) {
    if (map.isEmpty()) {
      return EMPTY;
    }
    if (map.size() > MAX_SIZE) {
      return map;
    }
    Object[] entries = new Object[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      entries[i++] = entry.getKey();
      entries[i++] = entry.getValue();
    }
    return new CompactMap(entries);
  }

  private int indexOf(Object key) {
    for (int i = 0; i < entries.length; i += 2) {
      // field names are interned by the JSON parser: identity first, then equality
      if (entries[i] == key || entries[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : entries[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return entries.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return entries.length == 0;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < entries.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= entries.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> entry =
                new SimpleImmutableEntry<>((String) entries[next], entries[next + 1]);
            next += 2;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return entries.length / 2;
      }
    };
  }
}
