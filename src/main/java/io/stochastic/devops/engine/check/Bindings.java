package io.stochastic.devops.engine.check;

import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The variables one evaluation sees (see {@link CelEnvironment#VARIABLES}). A resolver instead of
 * a map per evaluation: the per-workload loop allocates one small object, not a hash map.
 */
final class Bindings implements CelVariableResolver {
  Map<String, Object> object = Map.of();
  String kind = "";
  String name = "";
  String namespace = "";
  Map<String, Object> podMetadata = Map.of();
  Map<String, Object> podSpec = Map.of();
  Map<String, Object> podStatus = Map.of();
  Map<String, Object> container = Map.of();
  String containerType = "";
  Map<String, Object> containerStatus = Map.of();
  Map<String, Object> params = Map.of();
  Map<String, Object> kubernetesVersion = Map.of();
  Instant now = Instant.EPOCH;

  Bindings copy() {
    Bindings b = new Bindings();
    b.object = object;
    b.kind = kind;
    b.name = name;
    b.namespace = namespace;
    b.podMetadata = podMetadata;
    b.podSpec = podSpec;
    b.podStatus = podStatus;
    b.container = container;
    b.containerType = containerType;
    b.containerStatus = containerStatus;
    b.params = params;
    b.kubernetesVersion = kubernetesVersion;
    b.now = now;
    return b;
  }

  @Override
  public Optional<Object> find(String variable) {
    Object value = switch (variable) {
      case "object" -> object;
      case "kind" -> kind;
      case "name" -> name;
      case "namespace" -> namespace;
      case "podMetadata" -> podMetadata;
      case "podSpec" -> podSpec;
      case "podStatus" -> podStatus;
      case "container" -> container;
      case "containerType" -> containerType;
      case "containerStatus" -> containerStatus;
      case "params" -> params;
      case "kubernetesVersion" -> kubernetesVersion;
      case "now" -> now;
      default -> null;
    };
    return Optional.ofNullable(value);
  }
}
