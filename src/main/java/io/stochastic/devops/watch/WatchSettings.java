package io.stochastic.devops.watch;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the watch engine runs.
 *
 * @param namespaces the namespaces watched; empty: every namespace (cluster-wide informers)
 * @param resync how often every namespace is re-evaluated without a change seen, for checks that
 *     change with time alone ({@code pendingTooLong}); {@link #DEFAULT_RESYNC} by default
 * @param coalesce how long changes gather before a round evaluates the namespaces they touched:
 *     a namespace whose pods the kubelets write to a hundred times a second is still evaluated
 *     once per round; {@link #DEFAULT_COALESCE} by default
 */
public record WatchSettings(Set<String> namespaces, Duration resync, Duration coalesce) {
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);
  public static final Duration DEFAULT_COALESCE = Duration.ofSeconds(1);

  public WatchSettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(coalesce, "coalesce");
    if (resync.isZero() || resync.isNegative() || coalesce.isZero() || coalesce.isNegative()) {
      throw new IllegalArgumentException("resync and coalesce must be positive, not " + resync
          + ", " + coalesce);
    }
  }

  /** Every namespace, the documented defaults. */
  public static WatchSettings defaults() {
    return new WatchSettings(Set.of(), DEFAULT_RESYNC, DEFAULT_COALESCE);
  }

  public WatchSettings withNamespaces(Set<String> watched) {
    return new WatchSettings(watched, resync, coalesce);
  }

  public WatchSettings withResync(Duration every) {
    return new WatchSettings(namespaces, every, coalesce);
  }

  public WatchSettings withCoalesce(Duration wait) {
    return new WatchSettings(namespaces, resync, wait);
  }
}
