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

  private KubernetesYamlSchema() {
  }

  /** Resolves plain scalars to tags; safe to share between threads, it only reads once built. */
  static ScalarResolver scalarResolver() {
    // Merge keys are not resolved here: YamlTreeBuilder recognises a plain "<<" itself.
    CoreScalarResolver scalars = new CoreScalarResolver(false);
    scalars.addImplicitResolver(Tag.BOOL, YAML11_BOOL, "yYnNoO");
    return scalars;
  }

  /** The boolean a plain scalar resolved to {@link Tag#BOOL} stands for. */
  static boolean booleanValue(String text) {
    return switch (text) {
      case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> true;
      default -> false;
    };
  }
}
