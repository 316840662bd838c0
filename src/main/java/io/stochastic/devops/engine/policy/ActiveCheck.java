package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.check.CompiledCheck;
import java.util.Map;

/**
 * A check a policy enables, at the severity and with the parameters the policy gives it.
 *
 * @param remediable the check has a patch and the policy supplies every value it needs
 */
public record ActiveCheck(CompiledCheck check, Severity severity, Map<String, Object> params,
    boolean remediable) {
  public String id() {
    return check.id();
  }
}
