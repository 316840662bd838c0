package io.stochastic.devops.auditor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what the writers store bounded: texts cut to a number of characters, lists cut to a
 * number of items and of JSON bytes, so that no object comes near etcd's request limit
 * (1.5 MiB by default) however many findings a namespace has.
 */
final class Bounded {
  /** Appended to a text that was cut. */
  static final String ELLIPSIS = "…";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Bounded() {}

  /**
   * {@code text} cut to at most {@code max} characters (Unicode code points, as the API server
   * counts a schema's {@code maxLength}), ending in "…" when cut; null stays null.
   */
  static String truncate(String text, int max) {
    if (text == null || text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    if (max <= ELLIPSIS.length()) {
      return text.substring(0, text.offsetByCodePoints(0, max));
    }
    int end = text.offsetByCodePoints(0, max - ELLIPSIS.length());
    return text.substring(0, end) + ELLIPSIS;
  }

  /** The first items of a list, and whether any were left out. */
  record Capped<T>(List<T> items, int omitted, long bytes) {
    boolean truncated() {
      return omitted > 0;
    }
  }

  /**
   * The longest prefix of {@code sorted} with at most {@code maxItems} items whose JSON takes at
   * most {@code maxBytes} bytes (items plus the commas between them). Stops at the first item
   * that does not fit, so that what is kept is always the most important part.
   */
  static <T> Capped<T> cap(List<T> sorted, int maxItems, long maxBytes) {
    List<T> kept = new ArrayList<>(Math.min(sorted.size(), maxItems));
    long bytes = 2; // []
    for (T item : sorted) {
      if (kept.size() >= maxItems) {
        break;
      }
      long size = jsonBytes(item) + (kept.isEmpty() ? 0 : 1);
      if (bytes + size > maxBytes) {
        break;
      }
      kept.add(item);
      bytes += size;
    }
    return new Capped<>(kept, sorted.size() - kept.size(), bytes);
  }

  /** The size of {@code value}'s JSON in UTF-8 bytes. */
  static long jsonBytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }
}
