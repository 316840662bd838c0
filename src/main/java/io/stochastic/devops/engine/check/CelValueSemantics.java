package io.stochastic.devops.engine.check;

import io.stochastic.devops.engine.check.DirectExpression.Bail;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CEL's operators and conversions on the engine's plain values, as cel-java defines them with
 * the options {@link CelEnvironment} sets (heterogeneous equality among them). Only the plain
 * case is implemented; every other case throws {@link Bail} so that cel-java decides, see
 * {@link DirectExpression}.
 */
final class CelValueSemantics {
  private CelValueSemantics() {}

  /** The values of {@code type(x)} and of type names such as {@code int}. */
  enum TypeValue { INT, UINT, DOUBLE, STRING, BOOL, BYTES, LIST, MAP, NULL_TYPE, TYPE }

  /** RFC 3339 as CEL's {@code timestamp()} reads it (seconds required, offset or Z). */
  private static final Pattern TIMESTAMP = Pattern.compile(
      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");
  private static final Pattern WHOLE_SECONDS = Pattern.compile("-?[0-9]{1,12}s");
  private static final Pattern DECIMAL_INT = Pattern.compile("-?[0-9]{1,19}");

  static Bail bail() {
    return Bail.INSTANCE;
  }

  static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw bail();
  }

  static String string(Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw bail();
  }

  static TypeValue typeOf(Object value) {
    if (value instanceof Long) {
      return TypeValue.INT;
    } else if (value instanceof Double) {
      return TypeValue.DOUBLE;
    } else if (value instanceof String) {
      return TypeValue.STRING;
    } else if (value instanceof Boolean) {
      return TypeValue.BOOL;
    } else if (value instanceof List) {
      return TypeValue.LIST;
    } else if (value instanceof Map) {
      return TypeValue.MAP;
    } else if (value instanceof TypeValue) {
      return TypeValue.TYPE;
    }
    throw bail();
  }

  /** CEL's {@code ==}: heterogeneous, so values of different kinds are unequal, not an error. */
  static boolean equal(Object a, Object b) {
    if (a instanceof String s) {
      return b instanceof String t ? s.equals(t) : otherKind(b);
    } else if (a instanceof Long x) {
      if (b instanceof Long y) {
        return x.longValue() == y.longValue();
      }
      return numericOrOtherKind(b);
    } else if (a instanceof Double x) {
      if (b instanceof Double y) {
        return x.doubleValue() == y.doubleValue();
      }
      return numericOrOtherKind(b);
    } else if (a instanceof Boolean x) {
      return b instanceof Boolean y ? x.equals(y) : otherKind(b);
    } else if (a instanceof List<?> x) {
      if (!(b instanceof List<?> y)) {
        return otherKind(b);
      }
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    } else if (a instanceof Map<?, ?> x) {
      if (!(b instanceof Map<?, ?> y)) {
        return otherKind(b);
      }
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> entry : x.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw bail();
        }
        Object other = y.get(key);
        if (other == null) {
          if (y.containsKey(key)) {
            throw bail();
          }
          return false;
        }
        if (!equal(entry.getValue(), other)) {
          return false;
        }
      }
      return true;
    } else if (a instanceof TypeValue || a instanceof Instant || a instanceof Duration) {
      return a.getClass() == b.getClass() ? a.equals(b) : otherKind(b);
    }
    throw bail();
  }

  /** 1 == 1.0 compares numerically in CEL; that case is left to cel-java. */
  private static boolean numericOrOtherKind(Object b) {
    if (b instanceof Long || b instanceof Double) {
      throw bail();
    }
    return otherKind(b);
  }

  private static boolean otherKind(Object b) {
    if (b instanceof String || b instanceof Long || b instanceof Double || b instanceof Boolean
        || b instanceof List || b instanceof Map || b instanceof TypeValue
        || b instanceof Instant || b instanceof Duration) {
      return false;
    }
    throw bail();
  }

  /** The sign of a comparison of two values of one orderable kind. */
  static int compare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    } else if (a instanceof Double x && b instanceof Double y) {
      double p = x;
      double q = y;
      if (Double.isNaN(p) || Double.isNaN(q)) {
        throw bail();
      }
      return p < q ? -1 : p > q ? 1 : 0;
    } else if (a instanceof String x && b instanceof String y) {
      if (hasSurrogates(x) || hasSurrogates(y)) {
        throw bail();
      }
      return Integer.signum(x.compareTo(y));
    } else if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    } else if (a instanceof Instant x && b instanceof Instant y) {
      return x.compareTo(y);
    } else if (a instanceof Duration x && b instanceof Duration y) {
      return x.compareTo(y);
    }
    throw bail();
  }

  static boolean in(Object element, Object container) {
    if (container instanceof List<?> list) {
      for (Object item : list) {
        if (equal(element, item)) {
          return true;
        }
      }
      return false;
    }
    if (container instanceof Map<?, ?> map && element instanceof String key) {
      return map.containsKey(key);
    }
    throw bail();
  }

  static Object add(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return exact(() -> Math.addExact(x, y));
    } else if (a instanceof String x && b instanceof String y) {
      return x.concat(y);
    } else if (a instanceof List<?> x && b instanceof List<?> y) {
      return AppendableList.concat(x, y);
    } else if (a instanceof Double x && b instanceof Double y) {
      return x + y;
    }
    throw bail();
  }

  static Object subtract(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return exact(() -> Math.subtractExact(x, y));
    } else if (a instanceof Instant x && b instanceof Instant y) {
      return Duration.between(y, x);
    } else if (a instanceof Double x && b instanceof Double y) {
      return x - y;
    }
    throw bail();
  }

  static Object multiply(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return exact(() -> Math.multiplyExact(x, y));
    } else if (a instanceof Double x && b instanceof Double y) {
      return x * y;
    }
    throw bail();
  }

  static Object divide(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      if (y == 0 || x == Long.MIN_VALUE && y == -1) {
        throw bail();
      }
      return x / y;
    } else if (a instanceof Double x && b instanceof Double y) {
      return x / y;
    }
    throw bail();
  }

  static Object modulo(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      if (y == 0 || x == Long.MIN_VALUE && y == -1) {
        throw bail();
      }
      return x % y;
    }
    throw bail();
  }

  static Object negate(Object a) {
    if (a instanceof Long x) {
      return exact(() -> Math.negateExact(x));
    } else if (a instanceof Double x) {
      return -x;
    }
    throw bail();
  }

  private static Long exact(java.util.function.LongSupplier operation) {
    try {
      return operation.getAsLong();
    } catch (ArithmeticException overflow) {
      throw bail();
    }
  }

  static long size(Object value) {
    if (value instanceof String s) {
      return s.codePointCount(0, s.length());
    } else if (value instanceof List<?> list) {
      return list.size();
    } else if (value instanceof Map<?, ?> map) {
      return map.size();
    }
    throw bail();
  }

  /** {@code string(x)}; doubles are left to cel-java, whose formatting is its own. */
  static String toStringValue(Object value) {
    if (value instanceof String s) {
      return s;
    } else if (value instanceof Long n) {
      return n.toString();
    } else if (value instanceof Boolean b) {
      return b.toString();
    }
    throw bail();
  }

  static Long toInt(Object value) {
    if (value instanceof Long n) {
      return n;
    }
    if (value instanceof String s && DECIMAL_INT.matcher(s).matches()) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException outOfRange) {
        throw bail();
      }
    }
    throw bail();
  }

  static Instant toTimestamp(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof String s && TIMESTAMP.matcher(s).matches() && !s.startsWith("0000")) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        throw bail();
      }
    }
    throw bail();
  }

  static Duration toDuration(Object value) {
    if (value instanceof String s && WHOLE_SECONDS.matcher(s).matches()) {
      return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
    }
    throw bail();
  }

  /** Duration.getSeconds(), truncated toward zero as protobuf's seconds field is. */
  static Long seconds(Object value) {
    if (value instanceof Duration d && (d.getNano() == 0 || !d.isNegative())) {
      return d.getSeconds();
    }
    throw bail();
  }

  static String asciiCase(String s, boolean upper) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (upper && c >= 'a' && c <= 'z') {
        chars[i] = (char) (c - 32);
      } else if (!upper && c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + 32);
      }
    }
    return new String(chars);
  }

  /** CEL indexes strings by code point, Java by UTF-16 unit: the same without surrogates. */
  static boolean hasSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static String join(Object list, String separator) {
    if (!(list instanceof List<?> items)) {
      throw bail();
    }
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        joined.append(separator);
      }
      joined.append(string(items.get(i)));
    }
    return joined.toString();
  }
}
