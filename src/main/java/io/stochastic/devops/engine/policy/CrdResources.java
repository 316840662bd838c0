package io.stochastic.devops.engine.policy;

import io.stochastic.devops.engine.EngineException;
import io.stochastic.devops.engine.check.ResourceDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's CustomResourceDefinitions as the jar carries them ({@code crds/} of the
 * repository, under {@code crds/} on the classpath): the single source of truth for
 * {@code crd generate}, {@code crd install} and the offline schema validation of {@code policy
 * lint}.
 */
public final class CrdResources {
  public static final String DIRECTORY = "crds";
  public static final String DEVOPS_POLICY = "devopspolicies.devops.stochastic.io";

  /** One CRD file: its name ({@code devopspolicies.devops.stochastic.io.yaml}) and its text. */
  public record CrdFile(String fileName, String text) {}

  private CrdResources() {}

  /** Every CRD file, sorted by file name (the order {@code crd generate} prints them in). */
  public static List<CrdFile> all() {
    List<CrdFile> files = new ArrayList<>();
    for (String resource : ResourceDirectory.list(DIRECTORY, ".yaml")) {
      files.add(new CrdFile(resource.substring(DIRECTORY.length() + 1), read(resource)));
    }
    if (files.isEmpty()) {
      throw new EngineException("no CRDs under " + DIRECTORY + "/ on the classpath");
    }
    return List.copyOf(files);
  }

  /** The file of the CRD named {@code crdName}. */
  public static CrdFile named(String crdName) {
    String resource = DIRECTORY + "/" + crdName + ".yaml";
    return new CrdFile(crdName + ".yaml", read(resource));
  }

  private static String read(String resource) {
    try (InputStream in = ResourceDirectory.open(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | IllegalStateException e) {
      throw new EngineException(resource + ": cannot read the CRD: " + e.getMessage(), e);
    }
  }
}
