package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a workload is judged against: the bundle named by its namespace's policy, plus that
 * policy's toggles, severity overrides and custom checks, minus exemptions (DESIGN.md §1).
 *
 * @param name what reports call the policy ({@code team-a/default}, {@code bundle baseline})
 * @param checks the enabled checks, ordered by id
 * @param remediation the merged {@code spec.remediation} settings patches read values from
 * @param warnings problems that did not stop resolution (an override for an unknown check...)
 */
public record EffectivePolicy(
    String name,
    String bundle,
    boolean enforce,
    Severity denySeverity,
    List<ActiveCheck> checks,
    List<Exemption> exemptions,
    Map<String, Object> remediation,
    List<String> warnings) {

  public Optional<ActiveCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
