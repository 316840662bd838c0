package io.stochastic.devops.engine.input;

import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * How plain scalars resolve, as Kubernetes reads manifests: the YAML 1.2 core schema plus the
 * YAML 1.1 booleans ({@code yes}, {@code no}, {@code on}, {@code off}) that kubectl's YAML
 * decoder still accepts, so that {@code privileged: yes} means what the API server would store.
 */
final class KubernetesYamlSchema implements Schema {
  private static final Pattern YAML11_BOOL =
      Pattern.compile("^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$");

  private final CoreSchema core = new CoreSchema();
  private final ScalarResolver resolver;

  KubernetesYamlSchema() {
    CoreScalarResolver scalars = new CoreScalarResolver(false);
    scalars.addImplicitResolver(Tag.BOOL, YAML11_BOOL, "yYnNoO");
    this.resolver = scalars;
  }

  @Override
  public ScalarResolver getScalarResolver() {
    return resolver;
  }

  @Override
  public Map<Tag, ConstructNode> getSchemaTagConstructors() {
    return core.getSchemaTagConstructors();
  }

  /** The boolean a plain scalar resolved to {@link Tag#BOOL} stands for. */
  static boolean booleanValue(String text) {
    return switch (text) {
      case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> true;
      default -> false;
    };
  }
}
