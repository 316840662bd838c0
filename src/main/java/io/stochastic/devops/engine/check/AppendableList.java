package io.stochastic.devops.engine.check;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list made by CEL's list concatenation, which comprehensions use to build their
 * results ({@code filter} and {@code map} step with {@code accu + [x]}). Concatenating onto the
 * newest version of a list extends the array it shares with its earlier versions instead of
 * copying it, so a filter over n items costs O(n), not O(n²): that matters for
 * {@code related(kind).filter(...)} in a namespace of thousands of objects. An earlier version
 * keeps its own size and is copied if concatenated onto again, so every version stays what it was.
 */
final class AppendableList extends AbstractList<Object> implements RandomAccess {
  /** The array the versions share; {@code length} is the size of the newest version. */
  private static final class Shared {
    Object[] items;
    int length;

    Shared(int capacity) {
      items = new Object[Math.max(8, capacity)];
    }
  }

  private final Shared shared;
  private final int size;

  private AppendableList(Shared shared, int size) {
    this.shared = shared;
    this.size = size;
  }

  static List<?> concat(List<?> first, List<?> second) {
    if (second.isEmpty()) {
      return first;
    }
    Shared shared;
    if (first instanceof AppendableList list && list.size == list.shared.length) {
      shared = list.shared;
    } else {
      shared = new Shared(2 * (first.size() + second.size()));
      appendAll(shared, first);
    }
    appendAll(shared, second);
    return new AppendableList(shared, shared.length);
  }

  private static void appendAll(Shared shared, List<?> items) {
    int needed = shared.length + items.size();
    if (needed > shared.items.length) {
      shared.items = Arrays.copyOf(shared.items, Math.max(needed, 2 * shared.items.length));
    }
    for (Object item : items) {
      shared.items[shared.length++] = item;
    }
  }

  @Override
  public Object get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return shared.items[index];
  }

  @Override
  public int size() {
    return size;
  }
}
