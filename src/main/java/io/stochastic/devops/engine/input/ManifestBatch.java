package io.stochastic.devops.engine.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set of manifest files held: the objects read, the documents that were not, and warnings
 * about what was read but not as given (kustomizations skipped, objects defined twice).
 */
public final class ManifestBatch {
  private final List<KubeObject> objects = new ArrayList<>();
  private final List<InvalidDocument> invalid = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private int files;
  private int skippedKustomizations;
  private int duplicates;

  void add(KubeObject object) {
    objects.add(object);
  }

  void addInvalid(InvalidDocument document) {
    invalid.add(document);
  }

  /** A Kustomize directory, file or document skipped, with its warning. */
  void addSkippedKustomization(String warning) {
    skippedKustomizations++;
    warnings.add(warning);
  }

  void addAll(ManifestBatch other) {
    objects.addAll(other.objects);
    invalid.addAll(other.invalid);
    warnings.addAll(other.warnings);
    files += other.files;
    skippedKustomizations += other.skippedKustomizations;
    duplicates += other.duplicates;
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

  /** Kustomize directories, kustomization files and Kustomize documents skipped unread. */
  public int skippedKustomizations() {
    return skippedKustomizations;
  }

  /** Objects defined more than once, each kept once ({@link #keepLastOfDuplicates()}). */
  public int duplicates() {
    return duplicates;
  }

  /**
   * Keeps one object per identity (API group, kind, namespace, name) and warns, once per
   * identity, naming every source that defined it. The last definition is the one kept and
   * judged: applying the same input in order ({@code kubectl apply -f}, files in sorted order
   * then documents in order) leaves the last one in the cluster. Objects named only by
   * {@code generateName} are distinct objects each time they are created and are all kept.
   */
  public void keepLastOfDuplicates() {
    Map<String, List<KubeObject>> byIdentity = new HashMap<>();
    for (KubeObject object : objects) {
      String name = KubeObject.stringAt(object.metadata(), "name");
      if (name == null || name.isEmpty()) {
        continue;
      }
      String identity = object.group() + "\n" + object.kind() + "\n" + object.namespace()
          + "\n" + name;
      byIdentity.computeIfAbsent(identity, k -> new ArrayList<>(1)).add(object);
    }
    Set<KubeObject> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
    for (KubeObject object : objects) {
      String name = KubeObject.stringAt(object.metadata(), "name");
      if (name == null || name.isEmpty()) {
        continue;
      }
      List<KubeObject> same = byIdentity.get(object.group() + "\n" + object.kind() + "\n"
          + object.namespace() + "\n" + name);
      if (same.size() < 2 || same.get(0) != object) {
        continue; // warned about at its first definition
      }
      KubeObject kept = same.get(same.size() - 1);
      dropped.addAll(same.subList(0, same.size() - 1));
      StringBuilder warning = new StringBuilder(object.displayName())
          .append(" is defined ").append(same.size() == 2 ? "twice" : same.size() + " times")
          .append(": ");
      for (int i = 0; i < same.size(); i++) {
        warning.append(i == 0 ? "" : i == same.size() - 1 ? " and " : ", ")
            .append(where(same.get(i)));
      }
      warning.append("; judged once, as defined last (").append(kept.source())
          .append("), the definition kubectl apply would leave");
      warnings.add(warning.toString());
      duplicates++;
    }
    if (!dropped.isEmpty()) {
      objects.removeIf(dropped::contains);
    }
  }

  private static String where(KubeObject object) {
    return object.line() > 0 ? object.source() + " (line " + object.line() + ")"
        : object.source();
  }

  /**
   * Validates every object read: one with an error becomes an invalid document (in reading
   * order, after those that could not be parsed), and warnings are kept. Objects are validated
   * in parallel: a validator reads only the object's own tree.
   */
  public void validate(ObjectValidator validator) {
    List<ObjectValidator.Verdict> verdicts =
        objects.parallelStream().map(validator::validate).toList();
    List<KubeObject> valid = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      ObjectValidator.Verdict verdict = verdicts.get(i);
      warnings.addAll(verdict.warnings());
      if (verdict.error() == null) {
        valid.add(objects.get(i));
      } else {
        invalid.add(new InvalidDocument(objects.get(i).source(), verdict.error()));
      }
    }
    if (valid.size() < objects.size()) {
      objects.clear();
      objects.addAll(valid);
    }
  }

  public ObjectSet toObjectSet() {
    return new ObjectSet(objects);
  }
}
