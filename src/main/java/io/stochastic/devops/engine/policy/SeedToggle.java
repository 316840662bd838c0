package io.stochastic.devops.engine.policy;

import io.stochastic.devops.v1.DevOpsPolicySpec;
import java.util.List;
import java.util.function.Function;

/**
 * The DevOpsPolicy toggles and the checks each one turns on or off (DESIGN.md §1, contract).
 * A boolean toggle set to false turns its checks off; a number enables its check with that
 * threshold as a parameter; absent leaves the bundle's decision.
 */
enum SeedToggle {
  FORBID_LATEST_TAG("forbidLatestTag", List.of("tagNotSpecified"),
      DevOpsPolicySpec::getForbidLatestTag),
  REQUIRE_LIVENESS_PROBE("requireLivenessProbe", List.of("livenessProbeMissing"),
      DevOpsPolicySpec::getRequireLivenessProbe),
  REQUIRE_READINESS_PROBE("requireReadinessProbe", List.of("readinessProbeMissing"),
      DevOpsPolicySpec::getRequireReadinessProbe),
  REQUIRE_RESOURCE_LIMITS("requireResourceLimits",
      List.of("cpuLimitsMissing", "memoryLimitsMissing"),
      DevOpsPolicySpec::getRequireResourceLimits),
  MAX_RESTART_COUNT("maxRestartCount", List.of("restartCountTooHigh"),
      DevOpsPolicySpec::getMaxRestartCount),
  FORBID_PENDING_DURATION("forbidPendingDuration", List.of("pendingTooLong"),
      DevOpsPolicySpec::getForbidPendingDuration);

  private final String field;
  private final List<String> checks;
  private final Function<DevOpsPolicySpec, Object> getter;

  SeedToggle(String field, List<String> checks, Function<DevOpsPolicySpec, Object> getter) {
    this.field = field;
    this.checks = checks;
    this.getter = getter;
  }

  /** The spec field, which is also the parameter name a numeric toggle passes to its check. */
  String field() {
    return field;
  }

  List<String> checks() {
    return checks;
  }

  /** The toggle's value in a spec: null (absent), a Boolean, or a Number threshold. */
  Object valueIn(DevOpsPolicySpec spec) {
    return spec == null ? null : getter.apply(spec);
  }
}
