package io.stochastic.devops.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.RenderedManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Helm chart directory rendered in-process as {@code helm template} would render it (the real
 * Helm, through helm-java's native library), then read as manifests: each object's source is the
 * template it came from ({@link RenderedChart}).
 */
public final class HelmChart implements RenderedManifests {
  /**
   * helm-java downloads its native library from Maven Central when the jar holds none for this
   * platform, unless this property is true. An audit fetches no code at run time: it is set,
   * unless the user set it ({@code JAVA_OPTS=-D...=false} allows the download).
   */
  static final String SKIP_REMOTE_LIBRARY = "com.marcnuri.jkube-helm.skipRemoteJar";

  /** The release name {@code helm template} uses when given none. */
  public static final String DEFAULT_RELEASE = "release-name";

  private final Path directory;
  private final List<Path> valuesFiles;
  private final Map<String, String> values;
  private final String release;
  private final String namespace;

  /**
   * @param directory the chart directory (holding {@code Chart.yaml})
   * @param valuesFiles values files, later ones overriding earlier ones, as {@code -f}
   * @param values single values by key path, applied after the files, as {@code --set}
   * @param release the release name ({@code .Release.Name})
   * @param namespace the release namespace ({@code .Release.Namespace})
   */
  public HelmChart(Path directory, List<Path> valuesFiles, Map<String, String> values,
      String release, String namespace) {
    this.directory = directory;
    this.valuesFiles = List.copyOf(valuesFiles);
    this.values = new LinkedHashMap<>(values);
    this.release = release;
    this.namespace = namespace;
  }

  @Override
  public void readInto(ManifestReader reader, ManifestBatch batch) {
    new RenderedChart(directory, render()).readInto(reader, batch);
  }

  /**
   * What Helm renders for the chart: multi-document YAML, each document headed by {@code #
   * Source: CHART/templates/FILE}.
   *
   * @throws ChartRenderException naming the chart, with Helm's reason in one line
   */
  public String render() {
    if (!Files.isDirectory(directory)) {
      throw failure(Files.exists(directory) ? "not a directory (a chart directory is needed)"
          : "no such directory");
    }
    if (!Files.isRegularFile(directory.resolve("Chart.yaml"))) {
      throw failure("not a Helm chart: no Chart.yaml");
    }
    for (Path file : valuesFiles) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw failure("values file " + file + (Files.exists(file) ? " cannot be read"
            : " does not exist"));
      }
    }
    if (System.getProperty(SKIP_REMOTE_LIBRARY) == null) {
      System.setProperty(SKIP_REMOTE_LIBRARY, "true");
    }
    try {
      TemplateCommand template = new Helm(directory).template()
          .withName(release)
          .withNamespace(namespace);
      valuesFiles.forEach(template::withValuesFile);
      values.forEach(template::set);
      return template.call();
    } catch (RuntimeException e) {
      throw failure(firstLine(e.getMessage()), e);
    } catch (LinkageError e) {
      // The native library for this platform is missing or does not load.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw failure("cannot load Helm's native library for " + System.getProperty("os.name")
          + " " + System.getProperty("os.arch") + " (the jar holds the one of the platform it "
          + "was built on: build it on this one)"
          + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage())), e);
    }
  }

  private ChartRenderException failure(String reason) {
    return failure(reason, null);
  }

  private ChartRenderException failure(String reason, Throwable cause) {
    return new ChartRenderException(directory + ": helm chart could not be rendered: " + reason,
        cause);
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "Helm gave no reason";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }

  @Override
  public String describe() {
    return "chart " + directory;
  }
}
