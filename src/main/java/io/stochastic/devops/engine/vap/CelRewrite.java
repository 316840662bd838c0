package io.stochastic.devops.engine.vap;

/**
 * Source-level rewrites of a check's CEL for the API server's CEL. The text is scanned with its
 * string literals (quoted, raw, triple-quoted) skipped, so only code is rewritten.
 */
final class CelRewrite {
  private static final String QUANTITY = "quantity(";

  private CelRewrite() {}

  /**
   * Our {@code quantity(x)} is a number (cores or bytes, from a string or a number); the API
   * server's is a Quantity object, compared through its methods. {@code quantity(x)} becomes
   * {@code quantity(string(x)).asApproximateFloat()}, the same number.
   */
  static String quantities(String cel) {
    StringBuilder out = new StringBuilder(cel.length() + 32);
    int i = 0;
    while (i < cel.length()) {
      int literalEnd = stringLiteralEnd(cel, i);
      if (literalEnd > i) {
        out.append(cel, i, literalEnd);
        i = literalEnd;
        continue;
      }
      if (cel.startsWith(QUANTITY, i) && (i == 0 || !isNameChar(cel.charAt(i - 1)))) {
        int close = closingParen(cel, i + QUANTITY.length() - 1);
        if (close > 0) {
          out.append("quantity(string(")
              .append(quantities(cel.substring(i + QUANTITY.length(), close)))
              .append(")).asApproximateFloat()");
          i = close + 1;
          continue;
        }
      }
      out.append(cel.charAt(i));
      i++;
    }
    return out.toString();
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  private static int closingParen(String cel, int open) {
    int depth = 0;
    int i = open;
    while (i < cel.length()) {
      int literalEnd = stringLiteralEnd(cel, i);
      if (literalEnd > i) {
        i = literalEnd;
        continue;
      }
      char c = cel.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
      i++;
    }
    return -1;
  }

  /**
   * Where the string literal starting at {@code i} ends (the index after it), or {@code i} when
   * none starts there. Handles r/b prefixes, single, double and triple quotes, escapes.
   */
  static int stringLiteralEnd(String cel, int i) {
    int start = i;
    boolean raw = false;
    while (start < cel.length() && start - i < 2 && "rRbB".indexOf(cel.charAt(start)) >= 0) {
      raw |= Character.toLowerCase(cel.charAt(start)) == 'r';
      start++;
    }
    if (start >= cel.length() || (cel.charAt(start) != '\'' && cel.charAt(start) != '"')) {
      return i;
    }
    if (start > i && i > 0 && isNameChar(cel.charAt(i - 1))) {
      return i; // "r" ending an identifier, not a prefix
    }
    char quote = cel.charAt(start);
    String triple = String.valueOf(quote).repeat(3);
    boolean isTriple = cel.startsWith(triple, start);
    String end = isTriple ? triple : String.valueOf(quote);
    int j = start + end.length();
    while (j < cel.length()) {
      if (!raw && cel.charAt(j) == '\\') {
        j += 2;
        continue;
      }
      if (cel.startsWith(end, j)) {
        return j + end.length();
      }
      j++;
    }
    return cel.length();
  }
}
