package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendableListTest {
  @Test
  void everyVersionStaysWhatItWasWhenAnotherIsExtended() {
    List<?> first = AppendableList.concat(List.of(1L), List.of(2L));
    List<?> extended = AppendableList.concat(first, List.of(3L));
    List<?> branched = AppendableList.concat(first, List.of(4L));
    List<?> extendedAgain = AppendableList.concat(extended, List.of(5L, 6L));
    assertThat(first).isEqualTo(List.of(1L, 2L));
    assertThat(extended).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(branched).isEqualTo(List.of(1L, 2L, 4L));
    assertThat(extendedAgain).isEqualTo(List.of(1L, 2L, 3L, 5L, 6L));
  }

  @Test
  void aFilterSizedListGrowsPastItsFirstArray() {
    List<?> list = List.of();
    List<Object> expected = new ArrayList<>();
    for (long i = 0; i < 10_000; i++) {
      list = AppendableList.concat(list, List.of(i));
      expected.add(i);
    }
    assertThat(list).isEqualTo(expected);
    assertThat(list.toString()).isEqualTo(expected.toString());
    assertThat(list.hashCode()).isEqualTo(expected.hashCode());
  }

  @Test
  void itIsImmutable() {
    List<?> list = AppendableList.concat(List.of(1L), List.of(2L));
    assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
