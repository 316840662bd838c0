package io.stochastic.devops.engine.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads Kubernetes manifests: files, directories (recursively, {@code .yaml}, {@code .yml},
 * {@code .json}), multi-document streams and {@code List} objects; {@link
 * #skippingKustomizations()} skips a directory tree holding a {@code kustomization.yaml} with a
 * warning ({@link ManifestBatch#warnings()}), its files being Kustomize inputs to build first.
 * Parsing is bounded by
 * {@link ReadLimits}; a document that is not a Kubernetes object is recorded as invalid with its
 * file and document index, and the reader goes on with the next file.
 */
public final class ManifestReader {
  private final ReadLimits limits;
  private final LoadSettings yamlSettings;
  private final ScalarResolver yamlScalars = KubernetesYamlSchema.scalarResolver();
  private final ObjectMapper json;
  private final String defaultNamespace;
  private final boolean skipKustomizations;
  private final Predicate<Path> skipFiles;

  public ManifestReader(ReadLimits limits, String defaultNamespace) {
    this(limits, defaultNamespace, false, file -> false);
  }

  private ManifestReader(ReadLimits limits, String defaultNamespace,
      boolean skipKustomizations, Predicate<Path> skipFiles) {
    this.limits = limits;
    this.defaultNamespace = defaultNamespace;
    this.skipKustomizations = skipKustomizations;
    this.skipFiles = skipFiles;
    // Only the parser reads these: YamlTreeBuilder resolves scalars and bounds aliases itself.
    this.yamlSettings = LoadSettings.builder()
        // YamlInputGuard bounds size as it reads; the scanner's own limit fires too late.
        .setCodePointLimit(Integer.MAX_VALUE)
        .setUseMarks(true)
        .build();
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxNestingDepth())
        .maxNumberLength(ReadLimits.MAX_NUMBER_CHARS)
        .maxStringLength(limits.maxLineChars())
        .maxDocumentLength(limits.maxDocumentChars())
        .build();
    JsonFactory jsonFactory = JsonFactory.builder().streamReadConstraints(constraints).build();
    // CEL has int64 and double, not int32: read every integer as a long.
    this.json = new ObjectMapper(jsonFactory)
        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * This reader, skipping Kustomize inputs: a directory tree holding a kustomization file, and
   * such a file named directly, are not read but named in a warning with the command that
   * builds them. For what is judged as applied (the offline audit); a reader of policy files
   * reads every file, as a DevOpsPolicy in a kustomization's tree is a whole object still.
   */
  public ManifestReader skippingKustomizations() {
    return new ManifestReader(limits, defaultNamespace, true, skipFiles);
  }

  /**
   * This reader, leaving out the files of a directory tree that {@code skip} names (files
   * named on the command line are read whatever their name): for readers of one kind of
   * document, such as policy files kept beside a Helm chart.
   */
  public ManifestReader skippingFiles(Predicate<Path> skip) {
    return new ManifestReader(limits, defaultNamespace, skipKustomizations, skip);
  }

  /** Reads every path; "-" stands for {@code stdin}. */
  public ManifestBatch read(List<String> paths, InputStream stdin) {
    ManifestBatch batch = new ManifestBatch();
    for (String path : paths) {
      if ("-".equals(path)) {
        try {
          readStream("<stdin>", stdin, false, batch);
        } catch (OutOfMemoryError e) {
          throw e instanceof ReadOutOfMemory ? e : new ReadOutOfMemory("<stdin>", e);
        }
      } else {
        readPath(Path.of(path), batch);
      }
    }
    return batch;
  }

  public void readPath(Path path, ManifestBatch batch) {
    if (Files.isDirectory(path)) {
      DirectoryListing listing = listDirectory(path);
      listing.unreadable().forEach(batch::addInvalid);
      listing.kustomizations().forEach((root, skipped) ->
          batch.addSkippedKustomization(kustomizationWarning(root, skipped)));
      // Files parse independently: in parallel, then merged in their sorted order.
      List<ManifestBatch> perFile = listing.manifests().parallelStream()
          .map(file -> {
            ManifestBatch one = new ManifestBatch();
            readFile(file, one);
            return one;
          })
          .toList();
      perFile.forEach(batch::addAll);
    } else if (Files.isRegularFile(path)) {
      if (skipKustomizations && isKustomizationFile(path)) {
        Path root = path.getParent() == null ? Path.of(".") : path.getParent();
        batch.addSkippedKustomization(path + ": a Kustomization, not a manifest: not audited; audit what it "
            + "builds instead: " + kustomizeCommand(root));
        return;
      }
      readFile(path, batch);
    } else if (Files.exists(path)) {
      // A FIFO or a device named on the command line: <(helm template ...), /dev/stdin.
      readFile(path, batch);
    } else {
      batch.addInvalid(new InvalidDocument(path.toString(), "no such file or directory"));
    }
  }

  /**
   * The names {@code kustomize build} looks for in a directory. A directory holding one is a
   * kustomization: its files are bases, patches and components, not the objects to apply.
   */
  static final List<String> KUSTOMIZATION_FILES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private static final String KUSTOMIZE_GROUP = "kustomize.config.k8s.io";

  static boolean isKustomizationFile(Path file) {
    Path name = file.getFileName();
    return name != null && KUSTOMIZATION_FILES.contains(name.toString());
  }

  /**
   * The manifest files to read under a directory, and the kustomizations skipped: each
   * outermost directory holding a kustomization file, with the count of manifest files under
   * it (its whole tree: bases and components kept beside an overlay are its inputs too).
   */
  private record DirectoryListing(List<Path> manifests, Map<Path, Integer> kustomizations,
      List<InvalidDocument> unreadable) {
  }

  private DirectoryListing listDirectory(Path directory) {
    List<Path> files = new ArrayList<>();
    List<InvalidDocument> unreadable = new ArrayList<>();
    try {
      Files.walkFileTree(directory, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          return isHidden(directory, dir) ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          // Regular files only: a FIFO or a device in a tree is not a manifest to wait for.
          if (attributes.isRegularFile() && !isHidden(directory, file)
              && !skipFiles.test(file)) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (!isHidden(directory, file)) {
            unreadable.add(new InvalidDocument(file.toString(), (Files.isDirectory(file)
                ? "cannot list directory: " : "cannot read: ") + IoProblems.describe(e)));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          if (e != null) {
            unreadable.add(new InvalidDocument(dir.toString(), "cannot list directory: "
                + IoProblems.describe(e)));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException(directory + ": cannot list directory: "
          + IoProblems.describe(e), e);
    }
    files.sort(null);
    Set<Path> kustomizationDirs = new HashSet<>();
    for (Path file : files) {
      if (skipKustomizations && isKustomizationFile(file)) {
        kustomizationDirs.add(file.getParent());
      }
    }
    Map<Path, Integer> skipped = new TreeMap<>();
    List<Path> manifests = new ArrayList<>();
    for (Path file : files) {
      Path owner = outermostKustomization(directory, file, kustomizationDirs);
      if (owner != null) {
        int count = skipped.getOrDefault(owner, 0);
        skipped.put(owner, hasManifestExtension(file) && !isKustomizationFile(file)
            ? count + 1 : count);
      } else if (hasManifestExtension(file)) {
        manifests.add(file);
      }
    }
    return new DirectoryListing(manifests, skipped, unreadable);
  }

  /** The outermost directory from {@code root} down to the file's that is a kustomization. */
  private static Path outermostKustomization(Path root, Path file, Set<Path> kustomizations) {
    if (kustomizations.isEmpty()) {
      return null;
    }
    Path found = null;
    for (Path dir = file.getParent(); dir != null && dir.startsWith(root);
        dir = dir.getParent()) {
      if (kustomizations.contains(dir)) {
        found = dir;
      }
    }
    return found;
  }

  private static String kustomizationWarning(Path directory, int files) {
    return directory + ": a Kustomize directory: its " + files + " manifest file"
        + (files == 1 ? " was" : "s were") + " not audited (patches and bases are not the "
        + "objects applied); audit what it builds instead: " + kustomizeCommand(directory);
  }

  private static String kustomizeCommand(Path directory) {
    String dir = directory.toString();
    if (!dir.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      dir = "'" + dir.replace("'", "'\\''") + "'";
    }
    return "kubectl kustomize " + dir + " | kube-devops audit -";
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
    Path name = file.getFileName();
    boolean isJson = name != null
        && name.toString().toLowerCase(Locale.ROOT).endsWith(".json");
    try (InputStream in = open(file)) {
      readStream(file.toString(), in, isJson, batch);
    } catch (IOException e) {
      batch.addInvalid(new InvalidDocument(file.toString(), "cannot read: "
          + IoProblems.describe(e)));
    } catch (OutOfMemoryError e) {
      // What this file held so far is unreachable now: there is room to name it.
      throw e instanceof ReadOutOfMemory ? e : new ReadOutOfMemory(file.toString(), e);
    }
  }

  /** Seconds to wait for a process to open a FIFO for writing before giving up on it. */
  static final int FIFO_OPEN_SECONDS = 3;

  /**
   * Opens a file to read. Opening a FIFO blocks until a process opens it for writing, which may
   * never happen (a FIFO left behind): that wait is bounded. What is read after is bounded by
   * the read limits, so a device such as {@code /dev/zero} ends at the first limit.
   */
  private static InputStream open(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return Files.newInputStream(file);
    }
    CompletableFuture<InputStream> opening = new CompletableFuture<>();
    Thread opener = new Thread(() -> {
      try {
        InputStream in = Files.newInputStream(file);
        if (!opening.complete(in)) {
          in.close(); // opened after the wait was given up
        }
      } catch (IOException | RuntimeException e) {
        opening.completeExceptionally(e);
      }
    }, "kube-devops-open");
    opener.setDaemon(true);
    opener.start();
    try {
      return opening.get(FIFO_OPEN_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      opening.cancel(false);
      throw new IOException("no process writes to it (a FIFO, waited " + FIFO_OPEN_SECONDS
          + " s)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening it");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Reads one stream of documents; {@code name} is what sources and errors call it. */
  public void readStream(String name, InputStream in, boolean isJson, ManifestBatch batch) {
    batch.countFile();
    if (isJson) {
      readJson(name, in, batch);
    } else {
      readYaml(name, new InputStreamReader(in, StandardCharsets.UTF_8), null, batch);
    }
  }

  /**
   * A UTF-8 reader of YAML that fails (a {@link RuntimeException} with the limit in words) as
   * soon as a line or a document passes the limits, or a NUL byte shows binary data: for
   * whatever else reads the files again.
   */
  public static Reader boundedYamlReader(InputStream in, ReadLimits limits) {
    return new YamlInputGuard(
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
        limits.maxLineChars(), limits.maxDocumentChars());
  }

  /**
   * Reads YAML rendered from a template (a Helm chart's) under the same limits and rules as a
   * file: {@code name} is the template, whose sources are {@code name#index}, and each document
   * (with the items of a {@code List}) is placed at {@code documentLine.applyAsInt(index)}, a
   * line of the template rather than of the rendered text (0 when unknown).
   */
  public void readRendered(String name, String text, IntUnaryOperator documentLine,
      ManifestBatch batch) {
    batch.countFile();
    readYaml(name, new StringReader(text), documentLine, batch);
  }

  /** @param documentLine the line of each document by index; null: where the stream has it */
  private void readYaml(String name, Reader in, IntUnaryOperator documentLine,
      ManifestBatch batch) {
    int index = 0;
    try {
      Reader reader = new YamlInputGuard(new BufferedReader(in),
          limits.maxLineChars(), limits.maxDocumentChars());
      YamlTreeBuilder documents = new YamlTreeBuilder(
          new Parse(yamlSettings).parseReader(reader).iterator(), yamlScalars, limits);
      for (var document = documents.next(); document != null; document = documents.next()) {
        int at = index;
        String source = name + "#" + index++;
        if (document.root() == null) {
          continue;
        }
        if (documentLine == null) {
          addDocument(source, document.line(), document::itemLine, document.root(), batch);
        } else {
          int line = documentLine.applyAsInt(at);
          addDocument(source, line, i -> line, document.root(), batch);
        }
      }
    } catch (DocumentLimitExceeded e) {
      batch.addInvalid(new InvalidDocument(name + "#" + index, e.getMessage()));
    } catch (YamlEngineException e) {
      batch.addInvalid(new InvalidDocument(name + "#" + index, describe(e)));
    } catch (UncheckedIOException e) {
      batch.addInvalid(new InvalidDocument(name + "#" + index, "cannot read: "
          + IoProblems.describe(e.getCause())));
    }
  }

  private void readJson(String name, InputStream in, ManifestBatch batch) {
    int index = 0;
    try (JsonParser parser = json.createParser(in)) {
      while (parser.nextToken() != null) {
        int line = parser.currentTokenLocation().getLineNr();
        Object document;
        List<Integer> itemLines = new ArrayList<>();
        try {
          document = readJsonDocument(parser, itemLines);
        } catch (JsonProcessingException e) {
          batch.addInvalid(new InvalidDocument(name + "#" + index, describe(e)));
          return; // the parser cannot resynchronise after a syntax error
        }
        String source = name + "#" + index++;
        if (document != null) {
          dropNullFields(document);
          addDocument(source, line,
              i -> i < itemLines.size() && itemLines.get(i) > 0 ? itemLines.get(i) : line,
              document, batch);
        }
      }
    } catch (JsonProcessingException e) {
      batch.addInvalid(new InvalidDocument(name + "#" + index, describe(e)));
    } catch (IOException e) {
      batch.addInvalid(new InvalidDocument(name + "#" + index, "cannot read: "
          + IoProblems.describe(e)));
    }
  }

  /**
   * Reads one JSON value; for an object, field by field, to note the line each item of its
   * {@code items} array starts on (a {@code List}'s objects). The parser still refuses
   * duplicate fields at every depth.
   */
  private Object readJsonDocument(JsonParser parser, List<Integer> itemLines)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      return json.readValue(parser, Object.class);
    }
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      Object value;
      if ("items".equals(field) && token == JsonToken.START_ARRAY) {
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          itemLines.add(parser.currentTokenLocation().getLineNr());
          items.add(json.readValue(parser, Object.class));
        }
        value = items;
      } else {
        value = json.readValue(parser, Object.class);
      }
      object.put(field, value);
    }
    return object;
  }

  private void addDocument(String source, int line, Object document, ManifestBatch batch) {
    addDocument(source, line, i -> line, document, batch);
  }

  /** @param itemLine the line item {@code i} of a {@code List} starts on */
  @SuppressWarnings("unchecked")
  private void addDocument(String source, int line, IntUnaryOperator itemLine, Object document,
      ManifestBatch batch) {
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
        addDocument(source + ".items[" + i + "]", itemLine.applyAsInt(i), item, batch);
        i++;
      }
      return;
    }
    if (skipKustomizations && ((String) apiVersion).startsWith(KUSTOMIZE_GROUP + "/")) {
      // Streamed in (cat, stdin) rather than found as a file: the patches beside it were read.
      batch.addSkippedKustomization(source + ": a Kustomize " + kind + " document: not audited; the "
          + "documents read with it may be patches and bases, not the objects applied; audit "
          + "what it builds instead: kubectl kustomize DIR | kube-devops audit -");
      return;
    }
    batch.add(new KubeObject(content, source, Math.max(line, 0), defaultNamespace));
  }

  /**
   * Removes the fields whose value is null, at every depth: Kubernetes reads a null field as an
   * absent one, and so must the checks (YAML documents get this from {@link YamlTreeBuilder}).
   */
  private static void dropNullFields(Object node) {
    if (node instanceof Map<?, ?> map) {
      map.values().removeIf(Objects::isNull);
      map.values().forEach(ManifestReader::dropNullFields);
    } else if (node instanceof List<?> list) {
      list.forEach(ManifestReader::dropNullFields);
    }
  }

  /** The YAML or JSON name of a document's type, for "the document is a ...". */
  private static String describeType(Object document) {
    if (document instanceof List) {
      return "list";
    }
    if (document instanceof String) {
      return "string";
    }
    if (document instanceof Number) {
      return "number";
    }
    if (document instanceof Boolean) {
      return "boolean";
    }
    return "scalar";
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    String where = location == null || location.getLineNr() < 0
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    String problem = firstLine(e.getOriginalMessage());
    if (e instanceof StreamConstraintsException) {
      return limitExceeded(problem);
    }
    return "malformed JSON" + where + ": " + problem;
  }

  /**
   * A limit Jackson enforced, in the words the YAML reader uses; Jackson's own message names
   * its Java API ({@code StreamReadConstraints.getMaxNumberLength()}), which means nothing to
   * whoever wrote the file.
   */
  static String limitExceeded(String problem) {
    Matcher limit = Pattern.compile("maximum allowed \\((\\d+)").matcher(problem);
    String max = limit.find() ? limit.group(1) : "the allowed";
    if (problem.startsWith("Number value length")) {
      return "a number longer than " + max + " digits";
    }
    if (problem.startsWith("String value length")) {
      return "a string longer than " + max + " characters";
    }
    if (problem.startsWith("Name length")) {
      return "a field name longer than " + max + " characters";
    }
    if (problem.startsWith("Document nesting depth")) {
      return "nested deeper than " + max + " levels";
    }
    return "document too large: more than " + max + " characters";
  }

  private static String describe(YamlEngineException e) {
    String message = firstLine(e.getMessage());
    if (e instanceof MarkedYamlEngineException marked && marked.getProblemMark().isPresent()) {
      var mark = marked.getProblemMark().get();
      String problem = marked.getProblem() == null ? message : marked.getProblem();
      return "malformed YAML at line " + (mark.getLine() + 1) + ", column "
          + (mark.getColumn() + 1) + ": " + firstLine(problem);
    }
    return "malformed YAML: " + message;
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
