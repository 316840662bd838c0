package io.stochastic.devops.cli;

import io.stochastic.devops.kube.ApplyAction;
import io.stochastic.devops.kube.ApplyResult;
import java.io.PrintWriter;
import java.util.List;

/**
 * What the applying commands print ({@code policy import}, {@code policy bundle-apply},
 * {@code crd install}): a kubectl-style line per object, the diff of what a dry run would
 * change, and a count.
 */
final class ApplyOutput {
  private ApplyOutput() {}

  static void print(List<ApplyResult> results, PrintWriter out) {
    for (ApplyResult result : results) {
      out.println(result.describe());
      if (result.dryRun() && result.action() == ApplyAction.CONFIGURED) {
        out.print(result.diff());
      }
    }
  }

  /** {@code 3 objects: 1 created, 1 configured, 1 unchanged}. */
  static String summary(List<ApplyResult> results, String noun, String nouns) {
    StringBuilder text = new StringBuilder(results.size() + " "
        + (results.size() == 1 ? noun : nouns) + ":");
    String separator = " ";
    for (ApplyAction action : ApplyAction.values()) {
      long count = results.stream().filter(r -> r.action() == action).count();
      text.append(separator).append(count).append(' ').append(action.id());
      separator = ", ";
    }
    if (results.stream().anyMatch(ApplyResult::dryRun)) {
      text.append(" (server dry run: nothing was changed)");
    }
    return text.toString();
  }
}
