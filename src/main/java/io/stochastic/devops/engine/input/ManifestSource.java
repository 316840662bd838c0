package io.stochastic.devops.engine.input;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Manifest files, directories and stdin as an {@link ObjectSource}: what the offline audit
 * judges. Documents that cannot be read are kept aside ({@link #batch()}'s {@code invalid()}),
 * for the caller to refuse or skip; an object defined more than once is judged once, as defined
 * last, with a warning ({@link ManifestBatch#keepLastOfDuplicates()}).
 */
public final class ManifestSource implements ObjectSource {
  private final ManifestReader reader;
  private final List<String> paths;
  private final InputStream stdin;
  private final List<RenderedManifests> rendered;
  private ManifestBatch batch;

  /** @param paths files, directories, or {@code -} for {@code stdin} */
  public ManifestSource(ManifestReader reader, List<String> paths, InputStream stdin) {
    this(reader, paths, stdin, List.of());
  }

  /**
   * @param paths files, directories, or {@code -} for {@code stdin}
   * @param rendered manifests rendered then read after the paths (a Helm chart): an object both
   *     in a file and rendered is judged as rendered
   */
  public ManifestSource(ManifestReader reader, List<String> paths, InputStream stdin,
      List<RenderedManifests> rendered) {
    this.reader = reader;
    this.paths = List.copyOf(paths);
    this.stdin = stdin;
    this.rendered = List.copyOf(rendered);
  }

  /**
   * Reads the manifests (once).
   *
   * @throws IllegalStateException naming the file when a path cannot be read, or the chart
   *     when rendering fails
   */
  @Override
  public ObjectSet read() {
    return batch().toObjectSet();
  }

  /**
   * What the files held: the objects (each once), the unreadable documents, the warnings and the
   * count of files.
   */
  public synchronized ManifestBatch batch() {
    if (batch == null) {
      ManifestBatch read = reader.read(paths, stdin);
      rendered.forEach(r -> r.readInto(reader, read));
      read.keepLastOfDuplicates();
      batch = read;
    }
    return batch;
  }

  @Override
  public String describe() {
    List<String> inputs = new ArrayList<>(paths);
    rendered.forEach(r -> inputs.add(r.describe()));
    return String.join(", ", inputs);
  }
}
