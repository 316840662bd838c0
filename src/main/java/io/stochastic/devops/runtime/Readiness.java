package io.stochastic.devops.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * Why a component is not ready, by the part that says so: {@code /readyz} answers 200 when no
 * part has a reason, else 503 with one line per reason ({@code git: last fetch failed 3 times}),
 * so that {@code kubectl describe pod} shows the cause, not just "Readiness probe failed".
 * Thread-safe: the work loop writes, the HTTP server reads.
 *
 * <p>A replicated component also says its role, ready or not: {@code leader: <identity>} or
 * {@code follower: waiting for the lead (held by <identity>)}. A follower is ready (200): it
 * would block a rolling update otherwise; the role line tells it apart.
 */
public final class Readiness {
  private final Map<String, String> reasons = new ConcurrentSkipListMap<>();
  private volatile Supplier<String> role = () -> null;

  /** The role line of a replica: {@code leader: me} or {@code follower: ... (held by other)}. */
  public static String roleLine(String identity, boolean leading, String holder) {
    return leading ? "leader: " + identity : "follower: waiting for the lead (held by "
        + (holder == null || holder.isBlank() || holder.equals(identity) ? "nobody yet" : holder)
        + ")";
  }

  /** Where {@code /readyz} reads the role line from (null while there is none). */
  public void role(Supplier<String> role) {
    this.role = role;
  }

  /** The role line, or null for a component without leader election. */
  public String role() {
    return role.get();
  }

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
