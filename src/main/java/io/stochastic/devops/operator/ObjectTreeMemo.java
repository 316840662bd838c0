package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.kube.ClusterResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The normalised {@link KubeObject} of each cached object, kept from one read of its namespace to
 * the next, so that a reconcile converts only the objects that changed since (converting all of
 * a 1,000-pod namespace was a quarter of each reconcile). An informer's object is an immutable
 * snapshot and a change is a new resourceVersion, so uid + resourceVersion names the content.
 *
 * <p>Memory stays bounded by what the caches hold: each read of a namespace replaces that
 * namespace's entries by the objects it saw (deleted ones drop out), and {@link #forget} drops a
 * namespace no longer reconciled. Reads of different namespaces run concurrently; two reads of
 * one namespace (two policies in it) may race, and either's entries are then a valid memo.
 */
final class ObjectTreeMemo {
  private record Key(ClusterResource resource, String namespace) {}

  private record Entry(String resourceVersion, KubeObject object) {}

  /** Never changed once published: a read builds a new map and puts it in place. */
  private final ConcurrentMap<Key, Map<String, Entry>> entries = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder conversions = new LongAdder();

  /**
   * The objects of {@code items}, in their order, each from the memo when its uid and
   * resourceVersion are the ones last seen, else from {@code convert}; the namespace's entries
   * become exactly these objects.
   */
  <T extends HasMetadata> void read(ClusterResource resource, String namespace, List<T> items,
      Function<T, KubeObject> convert, List<KubeObject> into) {
    Key key = new Key(resource, namespace);
    Map<String, Entry> previous = entries.getOrDefault(key, Map.of());
    Map<String, Entry> next = new HashMap<>(Math.max(4, items.size() * 4 / 3 + 1));
    for (T item : items) {
      String uid = item.getMetadata().getUid();
      String version = item.getMetadata().getResourceVersion();
      Entry entry = uid == null ? null : previous.get(uid);
      if (entry == null || version == null || !entry.resourceVersion().equals(version)) {
        entry = new Entry(version, convert.apply(item));
        conversions.increment();
      } else {
        hits.increment();
      }
      if (entry.object() != null) {
        into.add(entry.object());
        if (uid != null && version != null) {
          next.put(uid, entry);
        }
      }
    }
    if (next.isEmpty()) {
      entries.remove(key);
    } else {
      entries.put(key, next);
    }
  }

  /** Drops the entries of a namespace no longer reconciled (its policy deleted). */
  void forget(String namespace) {
    entries.keySet().removeIf(key -> Objects.equals(key.namespace(), namespace));
  }

  /** Objects held, over all namespaces. */
  int size() {
    return entries.values().stream().mapToInt(Map::size).sum();
  }

  /** Objects taken from the memo, since the start. */
  long hits() {
    return hits.sum();
  }

  /** Objects converted, since the start. */
  long conversions() {
    return conversions.sum();
  }
}
