package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.ast.CelExpr;
import io.stochastic.devops.TestUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trees the build writes for the built-in checks: complete, current, and read as written. */
class PrecompiledExpressionsTest {
  private static final Map<String, CelExpr> LOADED = PrecompiledExpressions.load();

  @Test
  void theBuildPrecompiledEveryExpressionOfTheCatalogAsTheCheckerGivesIt() throws IOException {
    CelEnvironment fresh = new CelEnvironment(Map.of());
    List<String> missingOrStale = new ArrayList<>();
    for (CheckDefinition d : TestUtils.catalog().definitions()) {
      for (String expression : new String[] {d.expression(), d.when(), d.value()}) {
        if (expression == null) {
          continue;
        }
        CelExpr loaded = LOADED.get(expression);
        CelExpr checked = fresh.check(d.id(), expression, false);
        if (loaded == null || !encode(expression, loaded).equals(encode(expression, checked))) {
          missingOrStale.add(d.id() + ": " + expression);
        }
      }
    }
    assertThat(LOADED).isNotEmpty();
    assertThat(missingOrStale).isEmpty();
  }

  @Test
  void treesReadBackAsTheyWereWritten() throws IOException {
    Map<String, CelExpr> all = new LinkedHashMap<>(LOADED);
    String written = encode(all);
    Map<String, CelExpr> read = PrecompiledExpressions.read(
        new ByteArrayInputStream(written.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertThat(read.keySet()).isEqualTo(all.keySet());
    assertThat(encode(new LinkedHashMap<>(read))).isEqualTo(written);
  }

  @Test
  void aPrecompiledExpressionGivesCelJavasProgramWhenAsked() {
    CelEnvironment environment = new CelEnvironment();
    String expression = TestUtils.catalog().definitions().iterator().next().expression();
    CompiledExpression compiled = environment.compile("test", expression, true);
    assertThat(compiled.direct()).isNotNull();
    assertThat(compiled.interpreted()).isNotNull();
  }

  private static String encode(String text, CelExpr tree) throws IOException {
    return encode(Map.of(text, tree));
  }

  private static String encode(Map<String, CelExpr> trees) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrecompiledExpressions.write(trees, out);
    return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
