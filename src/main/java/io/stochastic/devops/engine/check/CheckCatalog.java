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
      CheckDefinition definition = CheckDefinitionParser.parse(resource, map, false);
      String expected = DIRECTORY + "/" + definition.id() + ".yaml";
      if (!expected.equals(resource)) {
        throw new EngineException(resource + ": file must be named after its id ("
            + expected + ")");
      }
      definitions.add(definition);
    }
    return new CheckCatalog(definitions, environment);
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
