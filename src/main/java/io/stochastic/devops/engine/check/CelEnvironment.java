package io.stochastic.devops.engine.check;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.checker.CelStandardDeclarations;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * The CEL environment every check is compiled in, built-in or custom. It declares the variables
 * a check sees and the Kubernetes-flavoured functions added to standard CEL and its string,
 * list, set and optional extensions:
 *
 * <ul>
 *   <li>{@code quantity(x)}: a resource quantity ("100m", "1Gi", 2) as a double (cores, bytes);
 *   <li>{@code matchesSelector(selector, labels)}: label selector semantics (matchLabels,
 *       matchExpressions, or a plain map as Services use);
 *   <li>{@code related(kind)}: objects of that kind in the subject's namespace, and
 *       cluster-scoped ones, from the objects audited together.
 * </ul>
 *
 * A {@link Cel} instance is immutable and thread-safe; one environment serves the process.
 */
public final class CelEnvironment {
  static final String RELATED_OVERLOAD = "related_string";

  private static final MapType OBJECT = MapType.create(SimpleType.STRING, SimpleType.DYN);
  /** Variable name -> type; the same names are bound by {@link Bindings}. */
  static final Map<String, CelType> VARIABLES = Map.ofEntries(
      Map.entry("object", OBJECT),
      Map.entry("kind", SimpleType.STRING),
      Map.entry("name", SimpleType.STRING),
      Map.entry("namespace", SimpleType.STRING),
      Map.entry("podMetadata", OBJECT),
      Map.entry("podSpec", OBJECT),
      Map.entry("podStatus", OBJECT),
      Map.entry("container", OBJECT),
      Map.entry("containerType", SimpleType.STRING),
      Map.entry("containerStatus", OBJECT),
      Map.entry("params", OBJECT),
      Map.entry("kubernetesVersion", OBJECT),
      Map.entry("now", SimpleType.TIMESTAMP));

  /** Quantities recur ("100m", "256Mi") across workloads; parsing one costs a BigDecimal. */
  private static final BoundedCache<Double> QUANTITIES = new BoundedCache<>(16_384);
  private static final BoundedCache<Object> PATTERNS = new BoundedCache<>(1_024);

  /** Built on first use: start-up need not pay for it when every expression is precompiled. */
  private volatile Cel cel;
  private final Map<String, CelExpr> precompiled;

  /** An environment with the built-in checks' precompiled trees, if the build wrote them. */
  public CelEnvironment() {
    this(PrecompiledExpressions.load());
  }

  CelEnvironment(Map<String, CelExpr> precompiled) {
    this.precompiled = precompiled;
  }

  private Cel cel() {
    Cel built = cel;
    if (built == null) {
      synchronized (this) {
        built = cel;
        if (built == null) {
          built = buildCel();
          cel = built;
        }
      }
    }
    return built;
  }

  private static Cel buildCel() {
    // Values are plain Java maps, lists and scalars, never protobuf wrappers: unwrapping the
    // result of every function call looks its type up for nothing.
    CelOptions options = CelOptions.current()
        .enableTimestampEpoch(true)
        .unwrapWellKnownTypesOnFunctionDispatch(false)
        .build();
    var builder = CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(CelExtensions.strings(), CelExtensions.optional(),
            CelExtensions.lists(), CelExtensions.sets(options), CelExtensions.math(options))
        .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.optional(),
            CelExtensions.lists(), CelExtensions.sets(options), CelExtensions.math(options))
        .addFunctionDeclarations(
            CelFunctionDecl.newFunctionDeclaration("quantity",
                CelOverloadDecl.newGlobalOverload("quantity_dyn", SimpleType.DOUBLE,
                    SimpleType.DYN)),
            CelFunctionDecl.newFunctionDeclaration("matchesSelector",
                CelOverloadDecl.newGlobalOverload("matchesSelector_dyn_dyn", SimpleType.BOOL,
                    SimpleType.DYN, SimpleType.DYN)),
            CelFunctionDecl.newFunctionDeclaration("related",
                CelOverloadDecl.newGlobalOverload(RELATED_OVERLOAD,
                    ListType.create(SimpleType.DYN), SimpleType.STRING)))
        // matches() as the standard defines it (RE2, a match anywhere in the string), but with
        // compiled patterns cached: the standard binding compiles the regex on every call.
        .setStandardEnvironmentEnabled(false)
        .setStandardDeclarations(CelStandardDeclarations.newBuilder().build())
        .setStandardFunctions(CelStandardFunctions.newBuilder()
            .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES).build())
        .addFunctionBindings(
            CelFunctionBinding.from("matches", String.class, String.class,
                CelEnvironment::matches),
            CelFunctionBinding.from("matches_string", String.class, String.class,
                CelEnvironment::matches),
            CelFunctionBinding.from("quantity_dyn", Object.class, CelEnvironment::quantity),
            CelFunctionBinding.from("matchesSelector_dyn_dyn", Object.class, Object.class,
                LabelSelectors::matches));
    VARIABLES.forEach(builder::addVar);
    return builder.build();
  }

  /**
   * Compiles an expression; {@code where} names the check and field for the error message. A
   * built-in check's expression comes precompiled, and cel-java compiles it only if needed.
   *
   * @param expectBool whether the expression must be a predicate
   */
  CompiledExpression compile(String where, String expression, boolean expectBool) {
    CelExpr tree = precompiled.get(expression);
    DirectExpression direct = tree == null ? null : directOrNull(tree);
    if (direct != null) {
      return new CompiledExpression(direct, () -> program(where, checked(where, expression,
          expectBool)));
    }
    CelAbstractSyntaxTree ast = checked(where, expression, expectBool);
    CelRuntime.Program program = program(where, ast);
    return new CompiledExpression(directOrNull(ast.getExpr()), () -> program);
  }

  /** The type-checked tree of an expression, as the build precompiles it. */
  CelExpr check(String where, String expression, boolean expectBool) {
    return checked(where, expression, expectBool).getExpr();
  }

  /**
   * The variables and functions an expression refers to, read from its type-checked tree (so a
   * namespaced function reads {@code sets.contains}, and macros are gone): what decides whether
   * another CEL environment (the API server's) can run it.
   *
   * @param identifiers every identifier read, variables and comprehension variables alike
   * @param functions every function and operator called ({@code _&&_}, {@code size}...)
   */
  public record References(java.util.Set<String> identifiers, java.util.Set<String> functions) {}

  /** What {@code expression} refers to; it must compile (it belongs to a resolved check). */
  public References references(String expression) {
    CelExpr tree = precompiled.get(expression);
    if (tree == null) {
      tree = checked("expression", expression, false).getExpr();
    }
    References found = new References(new java.util.TreeSet<>(), new java.util.TreeSet<>());
    collect(tree, found);
    return found;
  }

  private static void collect(CelExpr expr, References into) {
    switch (expr.exprKind().getKind()) {
      case IDENT -> into.identifiers().add(expr.ident().name());
      case SELECT -> collect(expr.select().operand(), into);
      case CALL -> {
        into.functions().add(expr.call().function());
        expr.call().target().ifPresent(t -> collect(t, into));
        expr.call().args().forEach(a -> collect(a, into));
      }
      case LIST -> expr.list().elements().forEach(e -> collect(e, into));
      case MAP -> expr.map().entries().forEach(e -> {
        collect(e.key(), into);
        collect(e.value(), into);
      });
      case STRUCT -> expr.struct().entries().forEach(e -> collect(e.value(), into));
      case COMPREHENSION -> {
        var c = expr.comprehension();
        for (CelExpr part : List.of(c.iterRange(), c.accuInit(), c.loopCondition(),
            c.loopStep(), c.result())) {
          collect(part, into);
        }
      }
      default -> { }
    }
  }

  private CelAbstractSyntaxTree checked(String where, String expression, boolean expectBool) {
    CelAbstractSyntaxTree ast;
    try {
      ast = cel().compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new CheckCompilationException(where + ": CEL does not compile: "
          + oneLine(e.getMessage()));
    }
    if (expectBool && ast.getResultType() != SimpleType.BOOL
        && ast.getResultType() != SimpleType.DYN) {
      throw new CheckCompilationException(where + ": CEL expression gives "
          + ast.getResultType().name() + ", expected bool");
    }
    return ast;
  }

  private CelRuntime.Program program(String where, CelAbstractSyntaxTree ast) {
    try {
      return cel().createProgram(ast);
    } catch (CelEvaluationException e) {
      throw new CheckCompilationException(where + ": " + oneLine(e.getMessage()));
    }
  }

  private static DirectExpression directOrNull(CelExpr tree) {
    try {
      return DirectCompiler.compileTree(tree);
    } catch (DirectCompiler.Unsupported e) {
      return null; // cel-java evaluates it
    }
  }

  /** The late-bound {@code related(kind)} function for subjects of one namespace. */
  static CelLateFunctionBindings relatedFunction(RelatedObjects related) {
    return CelLateFunctionBindings.from(
        CelFunctionBinding.from(RELATED_OVERLOAD, String.class, related::ofKind));
  }

  /** Looks up related objects by kind for one subject. */
  @FunctionalInterface
  public interface RelatedObjects {
    List<Map<String, Object>> ofKind(String kind);
  }

  static double quantity(Object value) throws CelEvaluationException {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      Double amount = QUANTITIES.get(s, CelEnvironment::parseQuantity);
      if (amount.isNaN()) {
        throw new CelEvaluationException("invalid quantity '" + s + "'");
      }
      return amount;
    }
    throw new CelEvaluationException("quantity() takes a string or a number");
  }

  private static Double parseQuantity(String text) {
    try {
      return Quantity.getAmountInBytes(new Quantity(text.strip())).doubleValue();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  static boolean matches(String text, String regex) throws CelEvaluationException {
    Object pattern = PATTERNS.get(regex, CelEnvironment::compileRegex);
    if (pattern instanceof String error) {
      throw new CelEvaluationException("invalid regex '" + regex + "': " + error);
    }
    return ((Pattern) pattern).matcher(text).find();
  }

  /** The compiled pattern, or the reason it does not compile (cached as well). */
  private static Object compileRegex(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return String.valueOf(e.getMessage());
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*\\n\\s*", " | ").strip();
  }
}
