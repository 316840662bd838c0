package io.stochastic.devops.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.Severity;
import io.stochastic.devops.engine.check.CheckDefinition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DESIGN.md §1: permissive keeps exactly the checks whose default severity is critical or high. */
class PermissiveBundleTest {

  @Test
  void permissiveKeepsOnlyCriticalAndHighChecksAtTheirDefaultSeverity() {
    EffectivePolicy permissive = TestUtils.bundle("permissive");
    for (CheckDefinition check : TestUtils.catalog().definitions()) {
      boolean serious = check.severity() == Severity.CRITICAL || check.severity() == Severity.HIGH;
      assertThat(permissive.check(check.id()).map(ActiveCheck::severity))
          .as("%s (default severity %s) in the permissive bundle", check.id(), check.severity())
          .isEqualTo(serious ? Optional.of(check.severity()) : Optional.empty());
    }
  }

  @Test
  void theBuiltInBundlesNameOnlyChecksOfTheCatalog() {
    for (String bundle : List.of("baseline", "restricted", "permissive")) {
      assertThat(TestUtils.bundle(bundle).warnings()).as("warnings of bundle %s", bundle)
          .isEmpty();
    }
  }
}
