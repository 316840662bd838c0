package io.stochastic.devops.watch;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces changed since the last round: informer threads mark them, the one round worker
 * drains them. A namespace marked a thousand times between two rounds (its pods' status writes)
 * is evaluated once: the set coalesces, where a queue of events would judge it a thousand times.
 */
final class DirtyNamespaces {
  private final Set<String> dirty = new TreeSet<>();

  synchronized void mark(String namespace) {
    dirty.add(namespace);
  }

  synchronized void markAll(Collection<String> namespaces) {
    dirty.addAll(namespaces);
  }

  /** The namespaces marked since the last drain, sorted; none stay marked. */
  synchronized Set<String> drain() {
    Set<String> drained = new TreeSet<>(dirty);
    dirty.clear();
    return drained;
  }

  synchronized int size() {
    return dirty.size();
  }
}
