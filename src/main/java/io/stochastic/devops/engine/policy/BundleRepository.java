package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.check.ResourceDirectory;
import io.stochastic.devops.v1.DevOpsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The built-in bundles ({@code baseline}, {@code restricted}, {@code permissive}, {@code
 * pss-baseline}, {@code pss-restricted}): DevOpsPolicy
 * YAML from {@code policies/bundles/}, carried in the jar under {@code bundles/}. A bundle is
 * itself a complete policy: {@code policy bundle-apply} applies it as is.
 */
public final class BundleRepository {
  public static final String DEFAULT_BUNDLE = "baseline";
  private static final String DIRECTORY = "bundles";

  private final Map<String, DevOpsPolicy> bundles;
  private final Map<String, String> yaml;

  private BundleRepository(Map<String, DevOpsPolicy> bundles, Map<String, String> yaml) {
    this.bundles = Collections.unmodifiableMap(bundles);
    this.yaml = Collections.unmodifiableMap(yaml);
  }

  public static BundleRepository builtIn() {
    Map<String, DevOpsPolicy> bundles = new TreeMap<>();
    Map<String, String> texts = new TreeMap<>();
    for (String resource : ResourceDirectory.list(DIRECTORY, ".yaml")) {
      String text;
      try (InputStream in = ResourceDirectory.open(resource)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new EngineException(resource + ": cannot read bundle: " + e.getMessage(), e);
      }
      DevOpsPolicy policy = PolicyDocuments.fromYaml(resource, text);
      String name = policy.getMetadata() == null ? null : policy.getMetadata().getName();
      String expected = DIRECTORY + "/" + name + ".yaml";
      if (!expected.equals(resource)) {
        throw new EngineException(resource + ": bundle must be named after metadata.name");
      }
      bundles.put(name, policy);
      texts.put(name, text);
    }
    if (!bundles.containsKey(DEFAULT_BUNDLE)) {
      throw new EngineException("the default bundle '" + DEFAULT_BUNDLE + "' is missing");
    }
    return new BundleRepository(bundles, texts);
  }

  /** Bundles given as they are (tests: a bundle with settings the shipped ones lack). */
  static BundleRepository of(Map<String, DevOpsPolicy> bundles) {
    Map<String, String> texts = new TreeMap<>();
    bundles.keySet().forEach(name -> texts.put(name, ""));
    return new BundleRepository(new TreeMap<>(bundles), texts);
  }

  public Set<String> names() {
    return bundles.keySet();
  }

  public Optional<DevOpsPolicy> find(String name) {
    return Optional.ofNullable(bundles.get(name));
  }

  public DevOpsPolicy get(String name) {
    return find(name).orElseThrow(() -> new EngineException("unknown bundle '" + name
        + "' (expected one of " + String.join(", ", names()) + ")"));
  }

  /** The bundle's file as shipped, comments included. */
  public String yaml(String name) {
    get(name);
    return yaml.get(name);
  }
}
