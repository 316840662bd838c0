package io.stochastic.devops.engine.input;

/**
 * Manifests rendered before they are read, such as a Helm chart's templates: read with the same
 * {@link ManifestReader} (limits, invalid documents, namespaces) as files, each object's source
 * naming the template it came from.
 */
public interface RenderedManifests {
  /**
   * Renders the manifests and reads them into {@code batch} with {@code reader} ({@link
   * ManifestReader#readRendered}).
   *
   * @throws IllegalStateException with one line naming what failed and why, when rendering fails
   */
  void readInto(ManifestReader reader, ManifestBatch batch);

  /** What is rendered, in a few words, for messages ({@code chart charts/web}). */
  String describe();
}
