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

/** The deployment manifests of {@code cronjobs/}, read as typed objects, in file order. */
final class CronJobManifests {
  /** The directory, relative to the project (Maven runs the tests there). */
  static final Path DIRECTORY = Path.of("cronjobs");
  static final String NAMESPACE = "kube-devops";
  static final String SERVICE_ACCOUNT = "kube-devops-auditor";
  static final String CLUSTER_ROLE = "kube-devops-auditor";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private CronJobManifests() {}

  /** One object and the file it came from. */
  record Manifest(Path file, HasMetadata object) {
    @Override
    public String toString() {
      return file.getFileName() + ": " + object.getKind() + " " + object.getMetadata().getName();
    }
  }

  static List<Path> files() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Manifest> all() {
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

  static <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all().stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " in " + DIRECTORY + ", found " + found.size());
    }
    return found.get(0);
  }
}
