package io.stochastic.devops.engine.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads Kubernetes manifests: files, directories (recursively, {@code .yaml}, {@code .yml},
 * {@code .json}), multi-document streams and {@code List} objects. Parsing is bounded by
 * {@link ReadLimits}; a document that is not a Kubernetes object is recorded as invalid with its
 * file and document index, and the reader goes on with the next file.
 */
public final class ManifestReader {
  private final ObjectMapper yaml;
  private final ObjectMapper json;
  private final String defaultNamespace;

  public ManifestReader(ReadLimits limits, String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
    LoaderOptions loaderOptions = new LoaderOptions();
    loaderOptions.setCodePointLimit(limits.maxDocumentCodePoints());
    loaderOptions.setMaxAliasesForCollections(limits.maxAliases());
    loaderOptions.setNestingDepthLimit(limits.maxNestingDepth());
    loaderOptions.setAllowDuplicateKeys(false);
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxNestingDepth())
        .maxStringLength(limits.maxDocumentCodePoints())
        .maxDocumentLength(limits.maxDocumentCodePoints())
        .build();
    YAMLFactory yamlFactory = YAMLFactory.builder()
        .loaderOptions(loaderOptions)
        .streamReadConstraints(constraints)
        // "securityContext:" with nothing after it is null, as in YAML and Kubernetes, not "".
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .build();
    this.yaml = configure(new ObjectMapper(yamlFactory));
    JsonFactory jsonFactory = JsonFactory.builder().streamReadConstraints(constraints).build();
    this.json = configure(new ObjectMapper(jsonFactory));
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    // CEL has int64 and double, not int32: read every integer as a long.
    return mapper.enable(DeserializationFeature.USE_LONG_FOR_INTS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** Reads every path; "-" stands for {@code stdin}. */
  public ManifestBatch read(List<String> paths, InputStream stdin) {
    ManifestBatch batch = new ManifestBatch();
    for (String path : paths) {
      if ("-".equals(path)) {
        readStream("<stdin>", stdin, false, batch);
      } else {
        readPath(Path.of(path), batch);
      }
    }
    return batch;
  }

  public void readPath(Path path, ManifestBatch batch) {
    if (Files.isDirectory(path)) {
      for (Path file : manifestFilesUnder(path)) {
        readFile(file, batch);
      }
    } else if (Files.isRegularFile(path)) {
      readFile(path, batch);
    } else {
      batch.addInvalid(new InvalidDocument(path.toString(), "no such file or directory"));
    }
  }

  private List<Path> manifestFilesUnder(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk
          .filter(p -> !isHidden(directory, p))
          .filter(Files::isRegularFile)
          .filter(ManifestReader::hasManifestExtension)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException(directory + ": cannot list directory: " + e.getMessage(), e);
    }
  }

  private static boolean isHidden(Path root, Path path) {
    for (Path part : root.relativize(path)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static boolean hasManifestExtension(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private void readFile(Path file, ManifestBatch batch) {
    boolean isJson = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    try (InputStream in = Files.newInputStream(file)) {
      readStream(file.toString(), in, isJson, batch);
    } catch (IOException e) {
      batch.addInvalid(new InvalidDocument(file.toString(), "cannot read: " + e.getMessage()));
    }
  }

  /** Reads one stream of documents; {@code name} is what sources and errors call it. */
  public void readStream(String name, InputStream in, boolean isJson, ManifestBatch batch) {
    batch.countFile();
    ObjectMapper mapper = isJson ? json : yaml;
    int index = 0;
    try (JsonParser parser = mapper.createParser(in)) {
      while (true) {
        Object document;
        try {
          if (parser.nextToken() == null) {
            return;
          }
          document = mapper.readValue(parser, Object.class);
        } catch (JsonProcessingException e) {
          batch.addInvalid(new InvalidDocument(name + "#" + index, describe(e)));
          return; // the parser cannot resynchronise after a syntax error
        } catch (RuntimeException e) {
          // SnakeYAML reports its limits (aliases, code points, depth) as unchecked exceptions.
          batch.addInvalid(new InvalidDocument(name + "#" + index, firstLine(e.getMessage())));
          return;
        }
        String source = name + "#" + index;
        index++;
        if (document == null) {
          continue; // an empty document (only comments, or a stray ---)
        }
        dropNullFields(document);
        addDocument(source, document, batch);
      }
    } catch (IOException e) {
      batch.addInvalid(new InvalidDocument(name + "#" + index, "cannot read: " + e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private void addDocument(String source, Object document, ManifestBatch batch) {
    if (!(document instanceof Map)) {
      batch.addInvalid(new InvalidDocument(source,
          "not a Kubernetes object (the document is a " + describeType(document) + ")"));
      return;
    }
    Map<String, Object> content = (Map<String, Object>) document;
    Object apiVersion = content.get("apiVersion");
    Object kind = content.get("kind");
    if (!(apiVersion instanceof String) || ((String) apiVersion).isBlank()
        || !(kind instanceof String) || ((String) kind).isBlank()) {
      List<String> missing = new ArrayList<>();
      if (!(apiVersion instanceof String) || ((String) apiVersion).isBlank()) {
        missing.add("apiVersion");
      }
      if (!(kind instanceof String) || ((String) kind).isBlank()) {
        missing.add("kind");
      }
      batch.addInvalid(new InvalidDocument(source,
          "not a Kubernetes object (no " + String.join(" or ", missing) + ")"));
      return;
    }
    if (((String) kind).endsWith("List") && content.get("items") instanceof List<?> items) {
      int i = 0;
      for (Object item : items) {
        addDocument(source + ".items[" + i++ + "]", item, batch);
      }
      return;
    }
    batch.add(new KubeObject(content, source, defaultNamespace));
  }

  /**
   * Removes the fields whose value is null, at every depth. Kubernetes reads a null field as an
   * absent one ({@code securityContext:} with nothing under it), and so must the checks: CEL's
   * {@code a.?b.?c} treats an absent {@code b} as no value but fails on a null one.
   */
  static void dropNullFields(Object node) {
    if (node instanceof Map<?, ?> map) {
      map.values().removeIf(Objects::isNull);
      map.values().forEach(ManifestReader::dropNullFields);
    } else if (node instanceof List<?> list) {
      list.forEach(ManifestReader::dropNullFields);
    }
  }

  private static String describeType(Object document) {
    if (document instanceof List) {
      return "list";
    }
    if (document instanceof String) {
      return "string";
    }
    return document.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    String where = location == null || location.getLineNr() < 0
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    String problem = firstLine(e.getOriginalMessage());
    if (problem.contains("exceeds the limit") || problem.contains("exceeds the maximum")) {
      return "document too large: " + problem;
    }
    if (problem.contains("aliases")) {
      return "too many YAML aliases (possible alias bomb): " + problem;
    }
    return "malformed " + (e.getProcessor() != null
        && e.getProcessor().getClass().getName().contains("yaml") ? "YAML" : "JSON")
        + where + ": " + problem;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable document";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
