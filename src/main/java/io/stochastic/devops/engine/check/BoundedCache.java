package io.stochastic.devops.engine.check;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A thread-safe memo for pure functions of strings that recur across workloads (a quantity such
 * as "500m", a check's regex). Bounded: when full it starts over, so hostile input cannot grow
 * it without limit.
 */
final class BoundedCache<V> {
  private final int capacity;
  private final Map<String, V> entries = new ConcurrentHashMap<>();

  BoundedCache(int capacity) {
    this.capacity = capacity;
  }

  V get(String key, Function<String, V> compute) {
    V value = entries.get(key);
    if (value == null) {
      value = compute.apply(key);
      if (entries.size() >= capacity) {
        entries.clear();
      }
      entries.put(key, value);
    }
    return value;
  }
}
