package io.stochastic.devops.engine.input;

import java.io.InputStream;
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
  private ManifestBatch batch;

  /** @param paths files, directories, or {@code -} for {@code stdin} */
  public ManifestSource(ManifestReader reader, List<String> paths, InputStream stdin) {
    this.reader = reader;
    this.paths = List.copyOf(paths);
    this.stdin = stdin;
  }

  /**
   * Reads the manifests (once).
   *
   * @throws IllegalStateException naming the file when a path cannot be read
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
      batch = reader.read(paths, stdin);
      batch.keepLastOfDuplicates();
    }
    return batch;
  }

  @Override
  public String describe() {
    return String.join(", ", paths);
  }
}
