package io.stochastic.devops.engine.policy.lint;

import java.util.Collection;
import java.util.Locale;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean": the known name closest to a misspelt one, if one is close enough. */
final class Suggestion {
  private Suggestion() {}

  /**
   * The candidate within a few edits of {@code name} (one edit per three characters, at most
   * three; case ignored), or null when none is that close.
   */
  static String closest(String name, Collection<String> candidates) {
    int allowed = Math.max(1, Math.min(3, name.length() / 3));
    LevenshteinDistance distance = new LevenshteinDistance(allowed);
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance.apply(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d >= 0 && d < best) {
        best = d;
        closest = candidate;
      }
    }
    return closest;
  }
}
