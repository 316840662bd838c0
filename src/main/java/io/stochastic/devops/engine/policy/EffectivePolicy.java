package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.workload.DeclaredWorkloadKind;
import io.stochastic.devops.engine.workload.WorkloadKinds;
import java.util.Collection;
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
 * @param workloadKinds the kinds judged as workloads: built in, plus those the bundle and policy
 *     declare in {@code spec.workloadKinds} (and the command line's {@code --workload-kind})
 */
public record EffectivePolicy(
    String name,
    String bundle,
    boolean enforce,
    Severity denySeverity,
    List<ActiveCheck> checks,
    List<Exemption> exemptions,
    Map<String, Object> remediation,
    List<String> warnings,
    WorkloadKinds workloadKinds) {

  /** A policy whose workload kinds are the built-in ones. */
  public EffectivePolicy(String name, String bundle, boolean enforce, Severity denySeverity,
      List<ActiveCheck> checks, List<Exemption> exemptions, Map<String, Object> remediation,
      List<String> warnings) {
    this(name, bundle, enforce, denySeverity, checks, exemptions, remediation, warnings,
        WorkloadKinds.BUILT_IN);
  }

  /** This policy with more custom workload kinds (the command line's {@code --workload-kind}). */
  public EffectivePolicy withWorkloadKinds(Collection<DeclaredWorkloadKind> kinds) {
    if (kinds.isEmpty()) {
      return this;
    }
    return new EffectivePolicy(name, bundle, enforce, denySeverity, checks, exemptions,
        remediation, warnings, workloadKinds.with(kinds));
  }

  public Optional<ActiveCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
