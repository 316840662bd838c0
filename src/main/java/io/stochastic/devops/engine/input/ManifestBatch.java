package io.stochastic.devops.engine.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a set of manifest files held: the objects read, the documents that were not, and warnings
 * about what was read but not as given (kustomizations skipped, objects defined twice).
 */
public final class ManifestBatch {
  private final List<KubeObject> objects = new ArrayList<>();
  private final List<InvalidDocument> invalid = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private int files;

  void add(KubeObject object) {
    objects.add(object);
  }

  void addInvalid(InvalidDocument document) {
    invalid.add(document);
  }

  void addWarning(String warning) {
    warnings.add(warning);
  }

  void addAll(ManifestBatch other) {
    objects.addAll(other.objects);
    invalid.addAll(other.invalid);
    warnings.addAll(other.warnings);
    files += other.files;
  }

  void countFile() {
    files++;
  }

  public List<KubeObject> objects() {
    return Collections.unmodifiableList(objects);
  }

  public List<InvalidDocument> invalid() {
    return Collections.unmodifiableList(invalid);
  }

  /** One line each, without a {@code warning:} prefix, in the order met. */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  public int files() {
    return files;
  }

  public ObjectSet toObjectSet() {
    return new ObjectSet(objects);
  }
}
