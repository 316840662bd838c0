package io.stochastic.devops.engine.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stochastic.devops.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in checks, one YAML file per check under {@code checks/} on the classpath, named
 * after the check's id. Definitions are read at start-up; each check's CEL is compiled the first
 * time a policy enables it and then shared.
 */
public final class CheckCatalog {
  public static final String DIRECTORY = "checks";
  /** Data files that checks read as parameters ({@code paramsFrom}). */
  public static final String DATA_DIRECTORY = "checks-data";
  static final String PARAMS_FROM = "paramsFrom";
  private static final Map<String, Map<String, Object>> DATA = new ConcurrentHashMap<>();

  private final Map<String, CheckDefinition> definitions;
  private final CelEnvironment environment;
  private final Map<String, CompiledCheck> compiled = new ConcurrentHashMap<>();

  public CheckCatalog(Collection<CheckDefinition> definitions, CelEnvironment environment) {
    Map<String, CheckDefinition> byId = new TreeMap<>();
    for (CheckDefinition d : definitions) {
      if (byId.put(d.id(), d) != null) {
        throw new EngineException("check " + d.id() + " is defined twice");
      }
    }
    this.definitions = Collections.unmodifiableMap(byId);
    this.environment = environment;
  }

  /** The catalog shipped in the jar. */
  public static CheckCatalog builtIn(CelEnvironment environment) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    java.util.List<CheckDefinition> definitions = new java.util.ArrayList<>();
    for (String resource : ResourceDirectory.list(DIRECTORY, ".yaml")) {
      Map<String, Object> map;
      try (InputStream in = ResourceDirectory.open(resource)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = yaml.readValue(in, Map.class);
        map = read;
      } catch (IOException e) {
        throw new EngineException(resource + ": cannot read check: " + e.getMessage(), e);
      }
      CheckDefinition definition = CheckDefinitionParser.parse(resource,
          withDataParams(resource, map, yaml), false);
      String expected = DIRECTORY + "/" + definition.id() + ".yaml";
      if (!expected.equals(resource)) {
        throw new EngineException(resource + ": file must be named after its id ("
            + expected + ")");
      }
      definitions.add(definition);
    }
    return new CheckCatalog(definitions, environment);
  }

  /**
   * A built-in check's {@code paramsFrom: FILE}: parameters kept in a data file under
   * {@value #DATA_DIRECTORY}/ (a table several checks share, like the Kubernetes API
   * deprecations), under the check's own {@code params}, which win.
   */
  private static Map<String, Object> withDataParams(String resource, Map<String, Object> map,
      ObjectMapper yaml) {
    if (!map.containsKey(PARAMS_FROM)) {
      return map;
    }
    Map<String, Object> copy = new java.util.LinkedHashMap<>(map);
    Object file = copy.remove(PARAMS_FROM);
    if (!(file instanceof String name) || !name.matches("[A-Za-z0-9._-]+\\.yaml")) {
      throw new EngineException(resource + ": " + PARAMS_FROM + " must name a .yaml file of "
          + DATA_DIRECTORY + "/");
    }
    Map<String, Object> params = new java.util.LinkedHashMap<>(dataParams(name, yaml));
    if (copy.get("params") instanceof Map<?, ?> own) {
      own.forEach((k, v) -> params.put(String.valueOf(k), v));
    }
    copy.put("params", params);
    return copy;
  }

  /** The parameters of a data file: a YAML map, read once however many checks share it. */
  private static Map<String, Object> dataParams(String name, ObjectMapper yaml) {
    return DATA.computeIfAbsent(name, n -> {
      String resource = DATA_DIRECTORY + "/" + n;
      try (InputStream in = ResourceDirectory.open(resource)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = yaml.readValue(in, Map.class);
        if (read == null) {
          throw new EngineException(resource + ": empty data file");
        }
        return Collections.unmodifiableMap(read);
      } catch (IOException e) {
        throw new EngineException(resource + ": cannot read check data: " + e.getMessage(), e);
      }
    });
  }

  /** Every check, ordered by id. */
  public Collection<CheckDefinition> definitions() {
    return definitions.values();
  }

  public Optional<CheckDefinition> find(String id) {
    return Optional.ofNullable(definitions.get(id));
  }

  public boolean contains(String id) {
    return definitions.containsKey(id);
  }

  /** The compiled form of a built-in check; compiled on first use. */
  public CompiledCheck compiled(String id) {
    CheckDefinition definition = definitions.get(id);
    if (definition == null) {
      throw new EngineException("unknown check " + id);
    }
    return compiled.computeIfAbsent(id,
        k -> CompiledCheck.compile(definition, environment, DIRECTORY + "/" + id + ".yaml"));
  }

  /** Compiles the given checks ahead of use, in parallel: start-up cost of a policy. */
  public void precompile(java.util.Collection<String> ids) {
    ids.parallelStream().filter(definitions::containsKey).forEach(this::compiled);
  }

  public CelEnvironment environment() {
    return environment;
  }
}
