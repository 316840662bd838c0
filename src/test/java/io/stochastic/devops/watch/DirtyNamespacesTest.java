package io.stochastic.devops.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes coalesce: a namespace marked many times is drained once. */
class DirtyNamespacesTest {
  @Test
  void aNamespaceMarkedManyTimesIsDrainedOnce() {
    DirtyNamespaces dirty = new DirtyNamespaces();
    for (int i = 0; i < 10_000; i++) {
      dirty.mark(i % 2 == 0 ? "shop" : "pay");
    }
    dirty.markAll(List.of("shop", "web"));

    assertThat(dirty.drain()).containsExactly("pay", "shop", "web");
    assertThat(dirty.drain()).as("nothing stays marked").isEmpty();
    assertThat(dirty.size()).isZero();
  }
}
