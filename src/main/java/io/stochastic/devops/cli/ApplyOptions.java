package io.stochastic.devops.cli;

import picocli.CommandLine.Option;

/** How {@code policy import} and {@code policy bundle-apply} apply: for real or not, forced. */
final class ApplyOptions {
  @Option(names = "--dry-run", description = "Ask the API server what would change "
      + "(server-side dry run, dryRun=All) and print it, with a diff for each policy that would "
      + "be configured; change nothing.")
  boolean dryRun;

  @Option(names = "--force-conflicts", description = "Take over fields another field manager "
      + "owns (a kubectl edit, say) instead of failing on the conflict.")
  boolean forceConflicts;
}
