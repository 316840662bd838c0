package io.stochastic.devops.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The manifests the repository ships in one directory ({@code cronjobs/}, {@code deploy/sync/},
 * {@code argocd/}), read as objects in file order: typed for Kubernetes kinds, generic for others
 * (Argo CD's). The directory is relative to the project, where Maven runs the tests.
 */
record ManifestDirectory(Path directory) {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** One object and the file it came from. */
  record Manifest(Path file, HasMetadata object) {
    @Override
    public String toString() {
      return file.getFileName() + ": " + object.getKind() + " " + object.getMetadata().getName();
    }
  }

  List<Path> files() {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Manifest> all() {
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : files()) {
      read(file).forEach(object -> manifests.add(new Manifest(file, object)));
    }
    return manifests;
  }

  /** Every object of one file; a fresh copy on each call, so callers may change them. */
  static List<HasMetadata> read(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(item -> objects.add((HasMetadata) item));
    } else {
      objects.add((HasMetadata) parsed);
    }
    return objects;
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all().stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " in " + directory + ", found " + found.size());
    }
    return found.get(0);
  }

  @Override
  public String toString() {
    return directory.toString();
  }
}
