package io.stochastic.devops.engine.input;

/**
 * Where the objects to judge come from — manifest files or stdin, a cluster's lists, an
 * informer cache, an AdmissionReview — as Polaris's {@code ResourceProvider}. Every source
 * produces {@link KubeObject}s in the same shape ({@link ObjectTrees}), so an object gives the
 * same verdict whichever source read it.
 */
public interface ObjectSource {
  /**
   * Reads the objects to judge, together with everything cross-object checks may ask about them.
   *
   * <p>A source that cannot be read throws an exception whose message is one line naming what
   * failed: the file and document, or the cluster and the resource.
   */
  ObjectSet read();

  /** The source in a few words, for reports and messages ({@code examples/}, {@code cluster prod}). */
  String describe();
}
