package io.stochastic.devops.engine.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a set of manifest files held: the objects read, and the documents that were not. */
public final class ManifestBatch {
  private final List<KubeObject> objects = new ArrayList<>();
  private final List<InvalidDocument> invalid = new ArrayList<>();
  private int files;

  void add(KubeObject object) {
    objects.add(object);
  }

  void addInvalid(InvalidDocument document) {
    invalid.add(document);
  }

  void addAll(ManifestBatch other) {
    objects.addAll(other.objects);
    invalid.addAll(other.invalid);
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

  public int files() {
    return files;
  }

  public ObjectSet toObjectSet() {
    return new ObjectSet(objects);
  }
}
