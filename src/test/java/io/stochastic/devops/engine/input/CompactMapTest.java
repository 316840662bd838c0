package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactMapTest {
  @Test
  void keepsTheOrderAndEqualsTheMapItWasMadeOf() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("name", "app");
    source.put("image", "nginx");
    source.put("ports", List.of(8080L));

    Map<String, Object> compact = CompactMap.of(source);

    assertThat(compact).isInstanceOf(CompactMap.class).isEqualTo(source)
        .hasSameHashCodeAs(source);
    assertThat(compact.keySet()).containsExactly("name", "image", "ports");
    assertThat(compact.get(new String("image"))).isEqualTo("nginx");
    assertThat(compact.get("missing")).isNull();
    assertThat(compact.containsKey("ports")).isTrue();
    assertThat(compact.toString()).isEqualTo(source.toString());
    assertThatThrownBy(() -> compact.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void emptyMapsAreSharedAndLargeOnesStayHashMaps() {
    assertThat(CompactMap.of(new LinkedHashMap<>())).isSameAs(CompactMap.of(new LinkedHashMap<>()))
        .isEmpty();
    Map<String, Object> large = new LinkedHashMap<>();
    for (int i = 0; i <= CompactMap.MAX_SIZE; i++) {
      large.put("k" + i, i);
    }
    assertThat(CompactMap.of(large)).isSameAs(large);
  }
}
