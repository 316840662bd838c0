package io.stochastic.devops.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedTest {
  @Test
  void truncateCountsCharactersNotUtf16Units() {
    assertThat(Bounded.truncate(null, 5)).isNull();
    assertThat(Bounded.truncate("hello", 5)).isEqualTo("hello");
    assertThat(Bounded.truncate("hello!", 5)).isEqualTo("hell…");
    assertThat(Bounded.truncate("\uD83D\uDE80\uD83D\uDE80\uD83D\uDE80", 2))
        .isEqualTo("\uD83D\uDE80…");
    assertThat(Bounded.truncate("abc", 1)).isEqualTo("a");
  }

  @Test
  void capStopsAtTheItemCountOrTheByteBudgetWhicheverComesFirst() {
    List<String> items = List.of("aaaa", "bbbb", "cccc"); // 6 bytes each as JSON

    assertThat(Bounded.cap(items, 2, 1000).items()).containsExactly("aaaa", "bbbb");
    Bounded.Capped<String> byBytes = Bounded.cap(items, 10, 2 + 6 + 1 + 6);
    assertThat(byBytes.items()).containsExactly("aaaa", "bbbb");
    assertThat(byBytes.omitted()).isEqualTo(1);
    assertThat(byBytes.bytes()).isEqualTo("[\"aaaa\",\"bbbb\"]".length());
    assertThat(Bounded.cap(items, 10, 1000).truncated()).isFalse();
    assertThat(Bounded.cap(items, 0, 1000).omitted()).isEqualTo(3);
  }
}
