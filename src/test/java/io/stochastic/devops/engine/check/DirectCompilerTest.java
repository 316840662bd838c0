package io.stochastic.devops.engine.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.stochastic.devops.TestUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * CEL semantics of the direct evaluator, expression by expression, against cel-java on one
 * object: the plain cases must be evaluated directly and give cel-java's value; the others must
 * bail out (so that cel-java answers), never give a value of their own.
 */
class DirectCompilerTest {
  private static final Map<String, Object> OBJECT = Map.ofEntries(
      Map.entry("int", 3L), Map.entry("double", 2.5), Map.entry("string", "web-1"),
      Map.entry("yes", true), Map.entry("no", false), Map.entry("list", List.of(1L, 2L, 3L)),
      Map.entry("strings", List.of("a", "b")), Map.entry("mixed", List.<Object>of(1L, 2.0)),
      Map.entry("map", Map.of("a", 1L, "b", Map.of("c", "d"))), Map.entry("empty", Map.of()),
      Map.entry("time", "2026-11-22T11:00:00Z"),
      Map.entry("offsetTime", "2026-11-22T13:00:00.5+02:00"), Map.entry("quantity", "250m"),
      Map.entry("unicode", "h\uD83D\uDE00llo"));

  /** Evaluated directly, with cel-java's value. */
  private static final List<String> PLAIN = List.of(
      "object.int + 1 == 4", "object.int - 5", "object.int * 2", "object.int / 2",
      "object.int % 2", "object.double + 0.5", "object.double * 2.0", "object.double / 2.0",
      "-object.int", "-object.double", "object.string + '-x'", "object.list + [4]", "object.int > 2",
      "object.int <= 3", "object.double < 3.0", "object.string < 'web-2'", "false < true",
      "object.yes && object.int == 3", "object.no || object.yes", "!object.no",
      "object.no && object.missing", "object.yes || object.missing",
      "object.yes ? 'yes' : object.missing", "object.no ? object.missing : 'no'",
      "has(object.map.a)", "has(object.map.z)", "object.map.b.c", "object.map['a']",
      "object.list[1]", "2 in object.list", "7 in object.list", "'a' in object.map",
      "'z' in object.map", "object.string == 'web-1'", "object.int == 'three'",
      "object.list == [1, 2, 3]", "object.list != [1, 2]", "object.map == {'a': 1}",
      "object.strings == ['a', 'b']", "{'a': 1, 'b': {'c': 'd'}} == object.map",
      "size(object.list)", "object.string.size()", "object.unicode.size()", "size(object.map)",
      "object.list.all(x, x > 0)", "object.list.exists(x, x > 2)",
      "object.list.exists_one(x, x > 2)", "object.list.map(x, x * 2)",
      "object.list.filter(x, x % 2 == 1)", "[[1] + [2]].map(a, [a + [3], a + [4], a])",
      "(object.list + []).map(x, x) + object.list", "[object.list].map(l, l + l + [9])", "object.map.all(k, k.size() == 1)",
      "object.list.map(x, object.strings.map(s, s + string(x)))",
      "object.?map.?b.?c.orValue('none')", "object.?map.?z.?c.orValue('none')",
      "object.?nothing.hasValue()", "object.?map.hasValue()", "object.?map.value().a",
      "object.?map[?'a'].orValue(0)", "object.map[?'z'].orValue(0)", "optional.none().hasValue()",
      "optional.of(1).value()", "object.string.startsWith('web')", "object.string.endsWith('-1')",
      "object.string.contains('b-')", "object.string.matches('^web-[0-9]+$')",
      "matches(object.string, 'x')", "object.string.replace('-', '_')",
      "object.string.lastIndexOf('b')", "'ABC'.lowerAscii()", "object.string.upperAscii()",
      "object.strings.join(', ')", "object.strings.join()", "int('42')", "int(object.int)",
      "string(object.int)", "string(object.yes)", "string('x')",
      "timestamp(object.time) < now", "now - timestamp(object.time)",
      "now - timestamp(object.offsetTime) > duration('0s')",
      "(now - timestamp(object.time)).getSeconds()", "duration('300s')",
      "type(object.int) == int", "type(object.string) == string", "type(object.map) == map",
      "type(object.list) == int", "sets.contains(object.list, [1, 3])",
      "sets.contains(object.list, [4])", "quantity(object.quantity)", "quantity('1Gi') > 1e9",
      "matchesSelector({'matchLabels': {'a': '1'}}, {'a': '1'})", "related('Service').size()",
      "[object.int, object.string]", "{'k': object.int}", "name + '/' + kind", "object.mixed == [1, 2.0]");

  /** Left to cel-java: errors, and what the direct evaluator does not reproduce. */
  private static final List<String> BAILS = List.of(
      "object.missing", "object.map.z", "object.list[5]", "object.int / 0", "object.int % 0",
      "9223372036854775807 + object.int", "-(-9223372036854775807 - object.int / 3)", "object.int == 3.0", "object.mixed == [1, 2]",
      "object.int < object.double", "string(object.double)", "int('x')", "int('٣')",
      "object.string.matches('[')", "object.string.replace('', '-')",
      "object.unicode.lastIndexOf('l')", "object.unicode < 'z'", "timestamp('yesterday')",
      "timestamp('2026-11-22T11:00Z')", "duration('1h')", "object.int.size()",
      "has(object.string.x)", "object.yes && object.int", "object.int ? 1 : 2",
      "quantity('lots')", "type(object.int)", "{'a': 1, 'a': 2}",
      "object.?int.?x.orValue(1)", "object.int.orValue(1)");

  @TestFactory
  Stream<DynamicTest> plainExpressionsAreDirectAndGiveCelJavasValue() {
    return PLAIN.stream().map(expression -> DynamicTest.dynamicTest(expression, () -> {
      CompiledExpression compiled = compile(expression);
      assertThat(compiled.direct()).as("compiled directly").isNotNull();
      Object interpreted = compiled.interpreted().eval(bindings(),
          relatedLookup().resolver());
      Object direct = compiled.direct().eval(bindings(), relatedLookup().objects());
      assertAll(() -> assertThat(direct).isEqualTo(interpreted),
          () -> assertThat(String.valueOf(direct)).isEqualTo(String.valueOf(interpreted)));
    }));
  }

  @TestFactory
  Stream<DynamicTest> otherCasesBailOutToCelJava() {
    return BAILS.stream().map(expression -> DynamicTest.dynamicTest(expression, () -> {
      CompiledExpression compiled = compile(expression);
      if (compiled.direct() != null) {
        Object value = evalDirect(compiled);
        assertThat(value).as("direct value where cel-java must decide").isEqualTo(BAILED);
      }
    }));
  }

  @Test
  void constructsItDoesNotKnowStayWithCelJava() {
    List<String> unknown = new ArrayList<>();
    for (String expression : List.of("object.list.sort()", "[?object.?int]",
        "{?'a': object.?int}", "math.greatest(1, 2)", "object.string.split('-')",
        "object.string.indexOf('b')", "object.string.trim()", "b'bytes'", "1u", "null")) {
      if (compile(expression).direct() != null) {
        unknown.add(expression);
      }
    }
    assertThat(unknown).as("compiled directly").isEmpty();
  }

  private static final Object BAILED = new Object() {
    @Override
    public String toString() {
      return "(bailed out)";
    }
  };

  private static Object evalDirect(CompiledExpression compiled) {
    try {
      return compiled.direct().eval(bindings(), relatedLookup().objects());
    } catch (DirectExpression.Bail e) {
      return BAILED;
    }
  }

  private static CompiledExpression compile(String expression) {
    return TestUtils.celEnvironment().compile("test", expression, false);
  }

  private static Bindings bindings() {
    Bindings bindings = new Bindings();
    bindings.object = OBJECT;
    bindings.name = "web";
    bindings.namespace = "shop";
    bindings.now = Instant.parse("2026-11-22T12:00:00Z");
    return bindings;
  }

  private static RelatedLookup relatedLookup() {
    return new RelatedLookup(kind -> kind.equals("Service")
        ? List.of(Map.of("kind", "Service"), Map.of("kind", "Service")) : List.of());
  }
}
