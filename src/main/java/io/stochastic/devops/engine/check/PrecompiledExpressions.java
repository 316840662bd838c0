package io.stochastic.devops.engine.check;

import com.google.common.collect.ImmutableList;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.ast.CelExpr.CelComprehension;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The type-checked expression trees of the built-in checks, written at build time
 * ({@link #main}, run by the build after compiling) into {@value #RESOURCE} and read at start-up.
 *
 * <p>Building cel-java's environment and parsing and checking the catalog's ~100 expressions is a
 * second of CPU in a fresh JVM, as long as a small audit takes altogether; reading the trees is a
 * few milliseconds. The trees are keyed by the expression's text, so an expression that is not
 * there (a custom check, or a build without this step) is compiled as before, and cel-java's
 * program for a precompiled expression is built only if its direct evaluation ever bails out.
 */
public final class PrecompiledExpressions {
  static final String RESOURCE = "checks/precompiled-expressions.bin";
  /** Changes whenever the encoding does; a resource of another version is ignored. */
  private static final int FORMAT = 1;

  private PrecompiledExpressions() {}

  /** Writes the trees of every built-in check's expressions under {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    CelEnvironment environment = new CelEnvironment();
    Map<String, CelExpr> trees = new LinkedHashMap<>();
    for (CheckDefinition d : CheckCatalog.builtIn(environment).definitions()) {
      String where = CheckCatalog.DIRECTORY + "/" + d.id() + ".yaml: check " + d.id();
      trees.put(d.expression(), environment.check(where, d.expression(), true));
      if (d.when() != null) {
        trees.put(d.when(), environment.check(where, d.when(), true));
      }
      if (d.value() != null) {
        trees.put(d.value(), environment.check(where, d.value(), false));
      }
    }
    Path file = Path.of(args[0]).resolve(RESOURCE);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      write(trees, out);
    }
  }

  /** The trees in the jar, by expression text; empty when the build did not write them. */
  static Map<String, CelExpr> load() {
    try (InputStream in = PrecompiledExpressions.class.getClassLoader()
        .getResourceAsStream(RESOURCE)) {
      return in == null ? Map.of() : read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
    }
  }

  static void write(Map<String, CelExpr> trees, OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
    out.writeInt(FORMAT);
    out.writeInt(trees.size());
    for (Map.Entry<String, CelExpr> tree : trees.entrySet()) {
      out.writeUTF(tree.getKey());
      writeExpr(tree.getValue(), out);
    }
    out.flush();
  }

  static Map<String, CelExpr> read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
    if (in.readInt() != FORMAT) {
      return Map.of();
    }
    int count = in.readInt();
    Map<String, CelExpr> trees = new HashMap<>();
    Ids ids = new Ids();
    for (int i = 0; i < count; i++) {
      trees.put(in.readUTF(), readExpr(in, ids));
    }
    return trees;
  }

  private static void writeExpr(CelExpr expr, DataOutput out) throws IOException {
    CelExpr.ExprKind.Kind kind = expr.exprKind().getKind();
    out.writeByte(kind.ordinal());
    switch (kind) {
      case CONSTANT -> writeConstant(expr.constant(), out);
      case IDENT -> out.writeUTF(expr.ident().name());
      case SELECT -> {
        writeExpr(expr.select().operand(), out);
        out.writeUTF(expr.select().field());
        out.writeBoolean(expr.select().testOnly());
      }
      case CALL -> {
        CelCall call = expr.call();
        out.writeUTF(call.function());
        out.writeBoolean(call.target().isPresent());
        if (call.target().isPresent()) {
          writeExpr(call.target().get(), out);
        }
        writeList(call.args(), out);
      }
      case LIST -> {
        writeList(expr.list().elements(), out);
        out.writeInt(expr.list().optionalIndices().size());
        for (int index : expr.list().optionalIndices()) {
          out.writeInt(index);
        }
      }
      case MAP -> {
        out.writeInt(expr.map().entries().size());
        for (CelExpr.CelMap.Entry entry : expr.map().entries()) {
          writeExpr(entry.key(), out);
          writeExpr(entry.value(), out);
          out.writeBoolean(entry.optionalEntry());
        }
      }
      case COMPREHENSION -> {
        CelComprehension c = expr.comprehension();
        out.writeUTF(c.iterVar());
        out.writeUTF(c.iterVar2());
        out.writeUTF(c.accuVar());
        for (CelExpr part : new CelExpr[] {c.iterRange(), c.accuInit(), c.loopCondition(),
            c.loopStep(), c.result()}) {
          writeExpr(part, out);
        }
      }
      default -> throw new IllegalArgumentException("cannot precompile " + kind);
    }
  }

  private static void writeList(ImmutableList<CelExpr> exprs, DataOutput out)
      throws IOException {
    out.writeInt(exprs.size());
    for (CelExpr expr : exprs) {
      writeExpr(expr, out);
    }
  }

  private static void writeConstant(CelConstant constant, DataOutput out) throws IOException {
    out.writeByte(constant.getKind().ordinal());
    switch (constant.getKind()) {
      case BOOLEAN_VALUE -> out.writeBoolean(constant.booleanValue());
      case INT64_VALUE -> out.writeLong(constant.int64Value());
      case DOUBLE_VALUE -> out.writeDouble(constant.doubleValue());
      case STRING_VALUE -> out.writeUTF(constant.stringValue());
      default -> throw new IllegalArgumentException("cannot precompile a constant of kind "
          + constant.getKind());
    }
  }

  /** Expression ids: unique within a tree, as cel-java's are; the direct compiler ignores them. */
  private static final class Ids {
    long next = 1;
  }

  private static CelExpr readExpr(DataInput in, Ids ids) throws IOException {
    long id = ids.next++;
    CelExpr.ExprKind.Kind kind = CelExpr.ExprKind.Kind.values()[in.readByte()];
    return switch (kind) {
      case CONSTANT -> CelExpr.ofConstant(id, readConstant(in));
      case IDENT -> CelExpr.ofIdent(id, in.readUTF());
      case SELECT -> {
        CelExpr operand = readExpr(in, ids);
        yield CelExpr.ofSelect(id, operand, in.readUTF(), in.readBoolean());
      }
      case CALL -> {
        String function = in.readUTF();
        Optional<CelExpr> target = in.readBoolean() ? Optional.of(readExpr(in, ids))
            : Optional.empty();
        yield CelExpr.ofCall(id, target, function, readList(in, ids));
      }
      case LIST -> {
        ImmutableList<CelExpr> elements = readList(in, ids);
        ImmutableList.Builder<Integer> optional = ImmutableList.builder();
        for (int i = in.readInt(); i > 0; i--) {
          optional.add(in.readInt());
        }
        yield CelExpr.ofList(id, elements, optional.build());
      }
      case MAP -> {
        ImmutableList.Builder<CelExpr.CelMap.Entry> entries = ImmutableList.builder();
        for (int i = in.readInt(); i > 0; i--) {
          long entryId = ids.next++;
          CelExpr key = readExpr(in, ids);
          CelExpr value = readExpr(in, ids);
          entries.add(CelExpr.ofMapEntry(entryId, key, value, in.readBoolean()));
        }
        yield CelExpr.ofMap(id, entries.build());
      }
      case COMPREHENSION -> {
        String iterVar = in.readUTF();
        String iterVar2 = in.readUTF();
        String accuVar = in.readUTF();
        CelExpr range = readExpr(in, ids);
        CelExpr init = readExpr(in, ids);
        CelExpr condition = readExpr(in, ids);
        CelExpr step = readExpr(in, ids);
        CelExpr result = readExpr(in, ids);
        yield CelExpr.ofComprehension(id, iterVar, iterVar2, range, accuVar, init, condition,
            step, result);
      }
      default -> throw new IOException("unknown expression kind " + kind);
    };
  }

  private static ImmutableList<CelExpr> readList(DataInput in, Ids ids) throws IOException {
    ImmutableList.Builder<CelExpr> exprs = ImmutableList.builder();
    for (int i = in.readInt(); i > 0; i--) {
      exprs.add(readExpr(in, ids));
    }
    return exprs.build();
  }

  private static CelConstant readConstant(DataInput in) throws IOException {
    CelConstant.Kind kind = CelConstant.Kind.values()[in.readByte()];
    return switch (kind) {
      case BOOLEAN_VALUE -> CelConstant.ofValue(in.readBoolean());
      case INT64_VALUE -> CelConstant.ofValue(in.readLong());
      case DOUBLE_VALUE -> CelConstant.ofValue(in.readDouble());
      case STRING_VALUE -> CelConstant.ofValue(in.readUTF());
      default -> throw new IOException("unknown constant kind " + kind);
    };
  }
}
