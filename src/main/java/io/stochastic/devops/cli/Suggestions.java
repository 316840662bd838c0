package io.stochastic.devops.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the known names closest to a mistyped one, by edit distance. */
final class Suggestions {
  private static final int MAX = 3;

  private Suggestions() {}

  /**
   * The known names within a few edits of {@code typed} (case ignored; more edits allowed for
   * longer names), or that start with it, closest first, at most three; none for a name of
   * fewer than three characters.
   */
  static List<String> near(String typed, Collection<String> known) {
    // Two characters (-x, a one-letter value) are within two edits of everything short; a name
    // of hundreds is no typo, and its edit distances would cost quadratic time.
    if (typed == null || typed.strip().length() < 3 || typed.length() > MAX_QUOTED) {
      return List.of();
    }
    String t = typed.toLowerCase(Locale.ROOT);
    int allowed = Math.max(2, t.length() / 4);
    record Candidate(String name, int distance) {}
    List<Candidate> candidates = new ArrayList<>();
    for (String name : known) {
      String n = name.toLowerCase(Locale.ROOT);
      int distance = distance(t, n);
      if (distance <= allowed || (t.length() >= 3 && n.startsWith(t))) {
        candidates.add(new Candidate(name, distance));
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::distance)
        .thenComparing(Candidate::name));
    return candidates.stream().limit(MAX).map(Candidate::name).toList();
  }

  private static final int MAX_QUOTED = 100;

  /**
   * What the user typed, in single quotes, for an error line: control characters escaped (a
   * newline or a terminal escape would break the one line, or recolour the terminal) and cut
   * after 100 characters, with the length said.
   */
  static String quoted(String typed) {
    StringBuilder b = new StringBuilder("'");
    int end = Math.min(typed.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = typed.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append(end < typed.length() ? "...' (" + typed.length() + " characters)" : "'");
    return b.toString();
  }

  /** {@code "; did you mean 'x'?"} (or {@code 'x' or 'y'}), empty when nothing is close. */
  static String didYouMean(String typed, Collection<String> known) {
    List<String> near = near(typed, known);
    if (near.isEmpty()) {
      return "";
    }
    return "; did you mean " + String.join(" or ", near.stream()
        .map(n -> "'" + n + "'").toList()) + "?";
  }

  /** Levenshtein distance, with a transposition counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
