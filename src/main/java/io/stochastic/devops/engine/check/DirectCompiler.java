package io.stochastic.devops.engine.check;

import static io.stochastic.devops.engine.check.CelValueSemantics.bail;
import static io.stochastic.devops.engine.check.CelValueSemantics.bool;
import static io.stochastic.devops.engine.check.CelValueSemantics.string;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.ast.CelExpr.CelComprehension;
import io.stochastic.devops.engine.check.CelValueSemantics.TypeValue;
import io.stochastic.devops.engine.check.DirectExpression.Constant;
import io.stochastic.devops.engine.check.DirectExpression.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a type-checked CEL expression into a {@link DirectExpression}, or says it cannot: an
 * expression using a construct or function this compiler does not know stays with cel-java's
 * interpreter. What it knows is what checks use: field selection and {@code has()}, the
 * operators, comprehensions (the macros {@code all}, {@code exists}, {@code exists_one},
 * {@code map}, {@code filter}), optional field selection, the string functions of the standard
 * and the strings extension that checks call, conversions, and kube-devops's own functions.
 */
final class DirectCompiler {
  /** The expression uses something this compiler does not translate. */
  static final class Unsupported extends Exception {
    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  private final Deque<Map.Entry<String, Integer>> scope = new ArrayDeque<>();
  private int locals;

  private DirectCompiler() {}

  /** @param tree a type-checked expression (the checker resolves namespaced function names) */
  static DirectExpression compileTree(CelExpr tree) throws Unsupported {
    DirectCompiler compiler = new DirectCompiler();
    Node root = compiler.compile(tree);
    return new DirectExpression(root, compiler.locals);
  }

  private Node compile(CelExpr expr) throws Unsupported {
    return switch (expr.exprKind().getKind()) {
      case CONSTANT -> constant(expr.constant());
      case IDENT -> identifier(expr.ident().name());
      case SELECT -> select(compile(expr.select().operand()), expr.select().field(),
          expr.select().testOnly());
      case CALL -> call(expr.call());
      case LIST -> list(expr.list());
      case MAP -> map(expr.map());
      case COMPREHENSION -> comprehension(expr.comprehension());
      default -> throw new Unsupported(expr.exprKind().getKind().toString());
    };
  }

  private static Node constant(CelConstant constant) throws Unsupported {
    return switch (constant.getKind()) {
      case BOOLEAN_VALUE -> new Constant(constant.booleanValue());
      case INT64_VALUE -> new Constant(constant.int64Value());
      case DOUBLE_VALUE -> new Constant(constant.doubleValue());
      case STRING_VALUE -> new Constant(constant.stringValue());
      default -> throw new Unsupported("constant " + constant.getKind());
    };
  }

  private Node identifier(String name) throws Unsupported {
    for (Map.Entry<String, Integer> local : scope) {
      if (local.getKey().equals(name)) {
        int slot = local.getValue();
        return frame -> present(frame.locals[slot]);
      }
    }
    return switch (name) {
      case "object" -> frame -> present(frame.bindings.object);
      case "kind" -> frame -> present(frame.bindings.kind);
      case "name" -> frame -> present(frame.bindings.name);
      case "namespace" -> frame -> present(frame.bindings.namespace);
      case "podMetadata" -> frame -> present(frame.bindings.podMetadata);
      case "podSpec" -> frame -> present(frame.bindings.podSpec);
      case "podStatus" -> frame -> present(frame.bindings.podStatus);
      case "container" -> frame -> present(frame.bindings.container);
      case "containerType" -> frame -> present(frame.bindings.containerType);
      case "containerStatus" -> frame -> present(frame.bindings.containerStatus);
      case "params" -> frame -> present(frame.bindings.params);
      case "kubernetesVersion" -> frame -> present(frame.bindings.kubernetesVersion);
      case "now" -> frame -> present(frame.bindings.now);
      case "int" -> new Constant(TypeValue.INT);
      case "uint" -> new Constant(TypeValue.UINT);
      case "double" -> new Constant(TypeValue.DOUBLE);
      case "string" -> new Constant(TypeValue.STRING);
      case "bool" -> new Constant(TypeValue.BOOL);
      case "bytes" -> new Constant(TypeValue.BYTES);
      case "list" -> new Constant(TypeValue.LIST);
      case "map" -> new Constant(TypeValue.MAP);
      case "null_type" -> new Constant(TypeValue.NULL_TYPE);
      case "type" -> new Constant(TypeValue.TYPE);
      default -> throw new Unsupported("identifier " + name);
    };
  }

  private static Object present(Object value) {
    if (value == null) {
      throw bail();
    }
    return value;
  }

  private static Node select(Node operand, String field, boolean testOnly) {
    if (testOnly) {
      return frame -> {
        if (operand.eval(frame) instanceof Map<?, ?> map) {
          return map.containsKey(field);
        }
        throw bail();
      };
    }
    return frame -> {
      if (operand.eval(frame) instanceof Map<?, ?> map) {
        Object value = map.get(field);
        if (value != null) {
          return value;
        }
      }
      throw bail();
    };
  }

  private Node list(CelExpr.CelList list) throws Unsupported {
    if (!list.optionalIndices().isEmpty()) {
      throw new Unsupported("optional list element");
    }
    List<Node> elements = compileAll(list.elements());
    if (elements.stream().allMatch(Constant.class::isInstance)) {
      List<Object> values = new ArrayList<>();
      for (Node element : elements) {
        values.add(((Constant) element).value());
      }
      return new Constant(Collections.unmodifiableList(values));
    }
    Node[] nodes = elements.toArray(Node[]::new);
    return frame -> {
      Object[] values = new Object[nodes.length];
      for (int i = 0; i < nodes.length; i++) {
        values[i] = nodes[i].eval(frame);
      }
      return java.util.Arrays.asList(values);
    };
  }

  private Node map(CelExpr.CelMap map) throws Unsupported {
    List<Node> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    for (CelExpr.CelMap.Entry entry : map.entries()) {
      if (entry.optionalEntry()) {
        throw new Unsupported("optional map entry");
      }
      keys.add(compile(entry.key()));
      values.add(compile(entry.value()));
    }
    if (keys.isEmpty()) {
      return new Constant(Map.of());
    }
    return frame -> {
      Map<String, Object> built = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        if (built.put(string(keys.get(i).eval(frame)), values.get(i).eval(frame)) != null) {
          throw bail();
        }
      }
      return built;
    };
  }

  /**
   * A comprehension, as the macros expand: the accumulator starts at {@code accuInit}, and for
   * each element (list items, map keys) while {@code loopCondition} holds becomes
   * {@code loopStep}; the value is {@code result}.
   */
  private Node comprehension(CelComprehension c) throws Unsupported {
    if (!c.iterVar2().isEmpty()) {
      throw new Unsupported("two-variable comprehension");
    }
    Node range = compile(c.iterRange());
    Node init = compile(c.accuInit());
    int accu = locals++;
    int iter = locals++;
    scope.push(Map.entry(c.accuVar(), accu));
    scope.push(Map.entry(c.iterVar(), iter));
    Node condition = compile(c.loopCondition());
    Node step = compile(c.loopStep());
    scope.pop();
    Node result = compile(c.result());
    scope.pop();
    return frame -> {
      Object over = range.eval(frame);
      Collection<?> items;
      if (over instanceof List<?> list) {
        items = list;
      } else if (over instanceof Map<?, ?> m) {
        items = m.keySet();
      } else {
        throw bail();
      }
      Object[] slots = frame.locals;
      slots[accu] = init.eval(frame);
      for (Object item : items) {
        slots[iter] = item;
        if (!bool(condition.eval(frame))) {
          break;
        }
        slots[accu] = step.eval(frame);
      }
      Object value = result.eval(frame);
      slots[accu] = null;
      slots[iter] = null;
      return value;
    };
  }

  private List<Node> compileAll(List<CelExpr> exprs) throws Unsupported {
    List<Node> nodes = new ArrayList<>(exprs.size());
    for (CelExpr expr : exprs) {
      nodes.add(compile(expr));
    }
    return nodes;
  }

  private Node call(CelCall call) throws Unsupported {
    List<Node> args = new ArrayList<>();
    if (call.target().isPresent()) {
      args.add(compile(call.target().get()));
    }
    args.addAll(compileAll(call.args()));
    String function = call.function();
    // Member and global forms (x.size(), size(x)) take the same arguments, receiver first.
    return switch (function + "/" + args.size()) {
      case "_&&_/2" -> and(args.get(0), args.get(1));
      case "_||_/2" -> or(args.get(0), args.get(1));
      case "!_/1" -> unary(args, value -> !bool(value));
      case "-_/1" -> unary(args, CelValueSemantics::negate);
      case "_?_:_/3" -> conditional(args.get(0), args.get(1), args.get(2));
      case "@not_strictly_false/1" -> unary(args, value -> bool(value));
      case "_==_/2" -> binary(args, CelValueSemantics::equal);
      case "_!=_/2" -> binary(args, (a, b) -> !CelValueSemantics.equal(a, b));
      case "_<_/2" -> binary(args, (a, b) -> CelValueSemantics.compare(a, b) < 0);
      case "_<=_/2" -> binary(args, (a, b) -> CelValueSemantics.compare(a, b) <= 0);
      case "_>_/2" -> binary(args, (a, b) -> CelValueSemantics.compare(a, b) > 0);
      case "_>=_/2" -> binary(args, (a, b) -> CelValueSemantics.compare(a, b) >= 0);
      case "@in/2" -> binary(args, CelValueSemantics::in);
      case "_+_/2" -> binary(args, CelValueSemantics::add);
      case "_-_/2" -> binary(args, CelValueSemantics::subtract);
      case "_*_/2" -> binary(args, CelValueSemantics::multiply);
      case "_/_/2" -> binary(args, CelValueSemantics::divide);
      case "_%_/2" -> binary(args, CelValueSemantics::modulo);
      case "_[_]/2" -> binary(args, DirectCompiler::index);
      case "_?._/2" -> optionalField(args.get(0), constantString(args.get(1)));
      case "_[?_]/2" -> binary(args, DirectCompiler::optionalIndex);
      case "orValue/2" -> binary(args, (optional, otherwise) -> optional(optional)
          .map(Object.class::cast).orElse(otherwise));
      case "hasValue/1" -> unary(args, optional -> optional(optional).isPresent());
      case "value/1" -> unary(args, optional -> present(optional(optional).orElse(null)));
      case "optional.of/1" -> unary(args, Optional::of);
      case "optional.none/0" -> new Constant(Optional.empty());
      case "size/1" -> unary(args, CelValueSemantics::size);
      case "contains/2" -> binary(args, (s, t) -> string(s).contains(string(t)));
      case "startsWith/2" -> binary(args, (s, t) -> string(s).startsWith(string(t)));
      case "endsWith/2" -> binary(args, (s, t) -> string(s).endsWith(string(t)));
      case "matches/2" -> binary(args, DirectCompiler::matches);
      case "lowerAscii/1" -> unary(args, s -> CelValueSemantics.asciiCase(string(s), false));
      case "upperAscii/1" -> unary(args, s -> CelValueSemantics.asciiCase(string(s), true));
      case "replace/3" -> ternary(args, DirectCompiler::replace);
      case "lastIndexOf/2" -> binary(args, DirectCompiler::lastIndexOf);
      case "join/1" -> unary(args, list -> CelValueSemantics.join(list, ""));
      case "join/2" -> binary(args, (list, separator) ->
          CelValueSemantics.join(list, string(separator)));
      case "int/1" -> unary(args, CelValueSemantics::toInt);
      case "string/1" -> unary(args, CelValueSemantics::toStringValue);
      case "timestamp/1" -> unary(args, CelValueSemantics::toTimestamp);
      case "duration/1" -> unary(args, CelValueSemantics::toDuration);
      case "getSeconds/1" -> unary(args, CelValueSemantics::seconds);
      case "type/1" -> unary(args, CelValueSemantics::typeOf);
      case "sets.contains/2" -> binary(args, DirectCompiler::setContains);
      case "quantity/1" -> unary(args, DirectCompiler::quantity);
      case "matchesSelector/2" -> binary(args, DirectCompiler::matchesSelector);
      case "related/1" -> {
        Node kind = args.get(0);
        yield frame -> frame.related.ofKind(string(kind.eval(frame)));
      }
      default -> throw new Unsupported("function " + function + " with " + args.size()
          + " arguments");
    };
  }

  private static Node and(Node left, Node right) {
    return frame -> bool(left.eval(frame)) ? (Object) bool(right.eval(frame)) : Boolean.FALSE;
  }

  private static Node or(Node left, Node right) {
    return frame -> bool(left.eval(frame)) ? Boolean.TRUE : (Object) bool(right.eval(frame));
  }

  private static Node conditional(Node condition, Node then, Node otherwise) {
    return frame -> bool(condition.eval(frame)) ? then.eval(frame) : otherwise.eval(frame);
  }

  private interface Unary {
    Object apply(Object a);
  }

  private interface Binary {
    Object apply(Object a, Object b);
  }

  private interface Ternary {
    Object apply(Object a, Object b, Object c);
  }

  private static Node unary(List<Node> args, Unary operation) {
    Node a = args.get(0);
    return frame -> operation.apply(a.eval(frame));
  }

  private static Node binary(List<Node> args, Binary operation) {
    Node a = args.get(0);
    Node b = args.get(1);
    return frame -> operation.apply(a.eval(frame), b.eval(frame));
  }

  private static Node ternary(List<Node> args, Ternary operation) {
    Node a = args.get(0);
    Node b = args.get(1);
    Node c = args.get(2);
    return frame -> operation.apply(a.eval(frame), b.eval(frame), c.eval(frame));
  }

  private static String constantString(Node node) throws Unsupported {
    if (node instanceof Constant constant && constant.value() instanceof String s) {
      return s;
    }
    throw new Unsupported("optional selection of a computed field");
  }

  private static Object index(Object container, Object key) {
    if (container instanceof Map<?, ?> map && key instanceof String) {
      return present(map.get(key));
    }
    if (container instanceof List<?> list && key instanceof Long i) {
      if (i >= 0 && i < list.size()) {
        return present(list.get((int) (long) i));
      }
    }
    throw bail();
  }

  /** {@code x.?field}: an optional of the field's value, empty when x has no such field. */
  private static Node optionalField(Node operand, String field) {
    return frame -> optionalIndex(operand.eval(frame), field);
  }

  private static Optional<?> optionalIndex(Object container, Object key) {
    if (container instanceof Optional<?> optional) {
      return optional.isEmpty() ? optional : optionalIndex(optional.get(), key);
    }
    if (container instanceof Map<?, ?> map && key instanceof String) {
      return Optional.ofNullable(map.get(key));
    }
    throw bail();
  }

  private static Optional<?> optional(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional;
    }
    throw bail();
  }

  private static Object matches(Object text, Object regex) {
    try {
      return CelEnvironment.matches(string(text), string(regex));
    } catch (dev.cel.runtime.CelEvaluationException e) {
      throw bail();
    }
  }

  private static Object replace(Object text, Object target, Object replacement) {
    String t = string(target);
    if (t.isEmpty() || CelValueSemantics.hasSurrogates(t)) {
      throw bail();
    }
    return string(text).replace(t, string(replacement));
  }

  private static Object lastIndexOf(Object text, Object part) {
    String s = string(text);
    String p = string(part);
    if (CelValueSemantics.hasSurrogates(s) || CelValueSemantics.hasSurrogates(p)) {
      throw bail();
    }
    return (long) s.lastIndexOf(p);
  }

  private static Object setContains(Object set, Object subset) {
    if (!(set instanceof List<?> all) || !(subset instanceof List<?> wanted)) {
      throw bail();
    }
    for (Object item : wanted) {
      if (!CelValueSemantics.in(item, all)) {
        return false;
      }
    }
    return true;
  }

  private static Object quantity(Object value) {
    try {
      return CelEnvironment.quantity(value);
    } catch (dev.cel.runtime.CelEvaluationException e) {
      throw bail();
    }
  }

  private static Object matchesSelector(Object selector, Object labels) {
    try {
      return LabelSelectors.matches(selector, labels);
    } catch (RuntimeException e) {
      throw bail();
    }
  }
}
