package io.stochastic.devops.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Why a component is not ready, by the part that says so: {@code /readyz} answers 200 when no
 * part has a reason, else 503 with one line per reason ({@code git: last fetch failed 3 times}),
 * so that {@code kubectl describe pod} shows the cause, not just "Readiness probe failed".
 * Thread-safe: the work loop writes, the HTTP server reads.
 */
public final class Readiness {
  private final Map<String, String> reasons = new ConcurrentSkipListMap<>();

  /** Marks {@code part} not ready because of {@code reason} (replacing its earlier reason). */
  public void notReady(String part, String reason) {
    reasons.put(part, reason);
  }

  /** {@code part} is ready again. */
  public void ready(String part) {
    reasons.remove(part);
  }

  public boolean isReady() {
    return reasons.isEmpty();
  }

  /** {@code part: reason}, sorted by part. */
  public List<String> reasons() {
    return reasons.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
  }
}
