package io.stochastic.devops.operator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the operator reconciles DevOpsPolicies.
 *
 * @param namespaces the namespaces whose policies and workloads are watched; empty: every
 *     namespace
 * @param resync how often a policy is re-evaluated without any change seen (time-based checks:
 *     {@code pendingTooLong}); {@link #DEFAULT_RESYNC} by default
 * @param statusRefresh how old {@code status.lastEvaluated} may grow before an evaluation that
 *     changed nothing still writes the status, as a heartbeat that says the operator is alive;
 *     {@link #DEFAULT_STATUS_REFRESH} by default. Evaluations in between write nothing, so a
 *     steady namespace costs the API server no writes.
 */
public record OperatorSettings(Set<String> namespaces, Duration resync, Duration statusRefresh) {
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STATUS_REFRESH = Duration.ofMinutes(10);

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(statusRefresh, "statusRefresh");
    if (resync.isZero() || resync.isNegative()) {
      throw new IllegalArgumentException("resync must be positive, not " + resync);
    }
    if (statusRefresh.compareTo(resync) < 0) {
      throw new IllegalArgumentException("statusRefresh (" + statusRefresh
          + ") must not be shorter than resync (" + resync + ")");
    }
  }

  /** Every namespace, the documented defaults. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), DEFAULT_RESYNC, DEFAULT_STATUS_REFRESH);
  }

  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(watched, resync, statusRefresh);
  }

  public OperatorSettings withResync(Duration every) {
    return new OperatorSettings(namespaces, every,
        statusRefresh.compareTo(every) < 0 ? every : statusRefresh);
  }
}
