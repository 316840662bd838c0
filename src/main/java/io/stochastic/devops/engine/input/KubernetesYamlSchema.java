package io.stochastic.devops.engine.input;

import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * How plain scalars resolve, as Kubernetes reads manifests: the YAML 1.2 core schema plus the
 * YAML 1.1 booleans ({@code yes}, {@code no}, {@code on}, {@code off}) that kubectl's YAML
 * decoder still accepts, so that {@code privileged: yes} means what the API server would store.
 */
final class KubernetesYamlSchema {
  private static final Pattern YAML11_BOOL =
      Pattern.compile("^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$");
  /** The first characters for which the regular expressions decide (numbers, ${ENV}, ~). */
  private static final String PATTERN_FIRST_CHARS = "-+.0123456789$~ ";
  /**
   * Every character an int or a float of the core schema can hold (digits, signs, the point,
   * exponents, 0x hexadecimal, 0o octal, .inf, .nan): text holding any other is a string.
   */
  private static final String NUMBER_CHARS = "0123456789+-.eExXoabcdfABCDFinINaA";

  private KubernetesYamlSchema() {
  }

  /** Resolves plain scalars to tags; safe to share between threads, it only reads once built. */
  static ScalarResolver scalarResolver() {
    ScalarResolver patterns = patternResolver();
    return (value, implicit) -> {
      if (!implicit) {
        return Tag.STR;
      }
      Tag tag = withoutPatterns(value);
      return tag != null ? tag : patterns.resolve(value, true);
    };
  }

  /**
   * The schema as regular expressions (snakeyaml-engine's core resolver): the reference that
   * {@link #scalarResolver()} gives the same tags as, and what it asks when in doubt.
   */
  static ScalarResolver patternResolver() {
    // Merge keys are not resolved here: YamlTreeBuilder recognises a plain "<<" itself.
    CoreScalarResolver scalars = new CoreScalarResolver(false);
    scalars.addImplicitResolver(Tag.BOOL, YAML11_BOOL, "yYnNoO");
    return scalars;
  }

  /**
   * The tag of a plain scalar decided without regular expressions (a Matcher per scalar was a
   * third of what reading a large manifest allocated), or null when only they can tell. The
   * pattern resolver picks its expressions by the scalar's first character: the booleans and
   * null start with letters, each with its own first letters; numbers, {@code ${ENV}} and
   * {@code ~} start with one of {@link #PATTERN_FIRST_CHARS}, and anything else that is not
   * empty matches no expression.
   */
  private static Tag withoutPatterns(String value) {
    if (value.isEmpty()) {
      return null;
    }
    char first = value.charAt(0);
    if (PATTERN_FIRST_CHARS.indexOf(first) < 0) {
      return switch (value) {
        case "true", "True", "TRUE", "false", "False", "FALSE",
            "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
            "y", "Y", "n", "N" -> Tag.BOOL;
        case "null", "Null", "NULL" -> Tag.NULL;
        default -> Tag.STR;
      };
    }
    if (first == '$' || first == '~' || first == ' ') {
      return null;
    }
    // A number or not: "100m", "128Mi", "1.22.4-alpine" are strings at their first letter.
    for (int i = 1; i < value.length(); i++) {
      if (NUMBER_CHARS.indexOf(value.charAt(i)) < 0) {
        return Tag.STR;
      }
    }
    return null;
  }

  /** The boolean a plain scalar resolved to {@link Tag#BOOL} stands for. */
  static boolean booleanValue(String text) {
    return switch (text) {
      case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> true;
      default -> false;
    };
  }
}
