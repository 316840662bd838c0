package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

class MessageTemplateTest {
  private static final Map<String, String> VALUES = Map.of("kind", "Deployment", "name", "web",
      "container", "app", "image", "nginx:${TAG}", "value", "5", "params.max", "3");
  private static final UnaryOperator<String> LOOKUP = VALUES::get;

  /** What CheckEvaluation rendered every message with before, and still renders the rest with. */
  private static String substituted(String template) {
    return new StringSubstitutor(LOOKUP::apply).setDisableSubstitutionInValues(true)
        .replace(template);
  }

  private static String rendered(String template) {
    MessageTemplate parsed = MessageTemplate.of(template);
    return parsed == null ? substituted(template) : parsed.render(LOOKUP);
  }

  @Test
  void everyCatalogMessageIsParsedAndReadsAsStringSubstitutorRendersIt() {
    TestUtils.catalog().definitions().forEach(d -> {
      assertThat(MessageTemplate.of(d.message())).as(d.id()).isNotNull();
      assertThat(rendered(d.message())).as(d.id()).isEqualTo(substituted(d.message()));
    });
  }

  @Test
  void plainTemplatesAndUnknownNamesReadTheSame() {
    Stream.of("", "no variables", "${kind} ${name}", "image ${image} is not pinned",
            "${unknown} stays", "restarted ${value} times (max ${params.max})", "a $ sign",
            "cost $5 {x}", "${container}${container}", "end ${", "x}${name}")
        .forEach(t -> assertThat(rendered(t)).as(t).isEqualTo(substituted(t)));
    assertThat(rendered("image ${image}")).isEqualTo("image nginx:${TAG}");
  }

  @Test
  void whatStringSubstitutorReadsSpeciallyIsLeftToIt() {
    Stream.of("$${name}", "${name:-default}", "${na${me}}", "unclosed ${name", "${}",
            "${a b}")
        .forEach(t -> {
          assertThat(MessageTemplate.of(t)).as(t).isNull();
          assertThat(rendered(t)).as(t).isEqualTo(substituted(t));
        });
  }
}
