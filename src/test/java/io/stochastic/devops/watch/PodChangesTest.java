package io.stochastic.devops.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.metrics.WatchMetrics.Transition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodChangesTest {
  private static Map<String, Object> status(String phase, int restarts, String waiting) {
    Map<String, Object> state = waiting == null ? Map.of("running", Map.of())
        : Map.of("waiting", Map.of("reason", waiting));
    return Map.of("phase", phase, "containerStatuses",
        List.of(Map.of("name", "app", "restartCount", restarts, "state", state)));
  }

  @Test
  void restartsAreTheGrowthOfTheRestartCounts() {
    PodChanges changes = PodChanges.between(status("Running", 2, null),
        status("Running", 5, null));
    assertThat(changes.restarts()).isEqualTo(3);
    assertThat(changes.entered()).isEmpty();
  }

  @Test
  void enteringCrashLoopBackOffCountsOnceNotOnEveryStatusWrite() {
    PodChanges entering = PodChanges.between(status("Running", 1, null),
        status("Running", 2, "CrashLoopBackOff"));
    PodChanges staying = PodChanges.between(status("Running", 2, "CrashLoopBackOff"),
        status("Running", 2, "CrashLoopBackOff"));

    assertThat(entering.entered()).containsExactly(Transition.CRASH_LOOP_BACK_OFF);
    assertThat(entering.restarts()).isEqualTo(1);
    assertThat(staying).isEqualTo(PodChanges.NONE);
  }

  @Test
  void failedAndUnschedulableAreEntered() {
    Map<String, Object> unschedulable = Map.of("phase", "Pending", "conditions",
        List.of(Map.of("type", "PodScheduled", "status", "False", "reason", "Unschedulable")));

    assertThat(PodChanges.between(Map.of("phase", "Pending"), unschedulable).entered())
        .containsExactly(Transition.UNSCHEDULABLE);
    assertThat(PodChanges.between(status("Running", 0, null), status("Failed", 0, null))
        .entered()).containsExactly(Transition.FAILED);
  }

  @Test
  void aPodWithoutStatusChangesNothing() {
    assertThat(PodChanges.between(null, null)).isEqualTo(PodChanges.NONE);
    assertThat(PodChanges.between(null, Map.of())).isEqualTo(PodChanges.NONE);
  }
}
