package io.stochastic.devops.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * The scalar resolver decides most scalars without regular expressions: it must give the tag the
 * regular expressions give (snakeyaml-engine's core resolver plus the YAML 1.1 booleans) for
 * every text, which this test checks on the schema's own words, their near misses and a large
 * sample of random texts built from the characters that matter.
 */
class KubernetesYamlSchemaTest {
  private static final ScalarResolver FAST = KubernetesYamlSchema.scalarResolver();
  private static final ScalarResolver PATTERNS = KubernetesYamlSchema.patternResolver();

  private static void assertSameTag(String text) {
    assertThat(FAST.resolve(text, true)).as("plain %s", text).isEqualTo(PATTERNS.resolve(text, true));
    assertThat(FAST.resolve(text, false)).as("quoted %s", text).isEqualTo(Tag.STR);
  }

  @Test
  void theSchemasWordsAndTheirNearMissesResolveAsThePatternsSay() {
    List<String> words = new ArrayList<>(List.of("", " ", "~", "~x", "null", "Null", "NULL",
        "nULL", "nul", "nulls", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "yes",
        "Yes", "YES", "yES", "no", "No", "NO", "nO", "on", "On", "ON", "oN", "off", "Off", "OFF",
        "y", "Y", "n", "N", "o", "O", "t", "f", "T", "F", "yess", "true ", " true", "0", "-0",
        "+0", "00", "0x", "0x1F", "0xg", "0X1F", "0o7", "0o8", "0o", "-0x1", "1_000", "1e5",
        "1E+5", "1e", "-1.5e-3", ".5", "5.", "-.5", "+.5", ".", "-", "+", "..", "1.2.3", ".inf",
        ".Inf", ".INF", "+.inf", "-.Inf", ".iNf", "inf", ".nan", ".NaN", ".NAN", "-.nan", "nan",
        "NaN", "${FOO}", "${ FOO:-bar }", "${FOO?err}", "$FOO", "$", "100m", "128Mi", "1Gi",
        "8080", "3", "1.22.4", "1.22.4-alpine", "0.5", "2h", "/healthz", "<<", "=", "true\n",
        "1\n", "null\n", "app-0", "registry.example.com/app:1.0"));
    for (char c = 0; c < 0x180; c++) {
      words.add(String.valueOf(c));
      words.add(c + "1");
      words.add("1" + c);
      words.add("0x" + c);
    }
    words.forEach(KubernetesYamlSchemaTest::assertSameTag);
  }

  @Test
  void randomTextsResolveAsThePatternsSay() {
    String alphabet = "0123456789+-._eExXoOaAbBcdfFinINtTrRuUlLsSyYnN~$ {}:?\n/mMig";
    Random random = new Random(20261122);
    for (int i = 0; i < 300_000; i++) {
      int length = random.nextInt(7);
      StringBuilder text = new StringBuilder(length);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertSameTag(text.toString());
    }
  }
}
