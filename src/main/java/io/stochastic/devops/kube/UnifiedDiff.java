package io.stochastic.devops.kube;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/** A unified diff of two texts, as {@code diff -u} prints it, with three lines of context. */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;
  /** The name of the side that does not exist (an object to create, or absent from the files). */
  public static final String NONE = "/dev/null";

  private UnifiedDiff() {}

  /** The diff from {@code before} to {@code after}; empty when they are equal. */
  public static String of(String beforeName, String before, String afterName, String after) {
    List<String> from = lines(before);
    List<String> to = lines(after);
    Patch<String> patch = DiffUtils.diff(from, to);
    if (patch.getDeltas().isEmpty()) {
      return "";
    }
    List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, from, patch,
        CONTEXT);
    return String.join("\n", diff) + "\n";
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(body.split("\n", -1));
  }
}
