package io.stochastic.devops.helm;

import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code helm template} printed for a chart, split back into its templates: Helm heads each
 * document with {@code # Source: CHART/templates/FILE}, which is mapped to the template's path
 * under the chart directory as given ({@code charts/web/templates/deployment.yaml}). Each
 * template's documents are read as one stream named after the template, so an object's source is
 * {@code charts/web/templates/deployment.yaml#0} (the index among that template's documents, in
 * Helm's output order) and its line is, best effort, the line of the template where its
 * document starts (see {@link #documentLines}).
 */
final class RenderedChart {
  private static final Pattern SEPARATOR = Pattern.compile("---\\s*");
  private static final Pattern SOURCE = Pattern.compile("# Source: (.+?)\\s*");
  private static final Pattern KIND = Pattern.compile("kind:\\s*[\"']?([A-Za-z0-9]+)[\"']?\\s*");
  private static final Pattern ACTION_ONLY = Pattern.compile("\\s*(\\{\\{.*}}\\s*)+");

  private final Path chartDir;
  /** Template path (as the report names it) to its documents, in Helm's output order. */
  private final Map<String, List<String>> templates = new LinkedHashMap<>();

  /**
   * @param chartDir the chart directory as given, which template paths are resolved against
   * @param output what Helm rendered
   */
  RenderedChart(Path chartDir, String output) {
    this.chartDir = chartDir;
    String template = chartDir.toString();
    StringBuilder document = new StringBuilder();
    boolean first = true;
    for (String line : output.split("\n", -1)) {
      if (SEPARATOR.matcher(line).matches()) {
        add(template, document);
        document.setLength(0);
        first = true;
        continue;
      }
      Matcher source = SOURCE.matcher(line);
      if (first && source.matches()) {
        template = templatePath(source.group(1));
      }
      if (first && !line.isBlank()) {
        first = false;
      }
      document.append(line).append('\n');
    }
    add(template, document);
  }

  private void add(String template, StringBuilder document) {
    if (!document.toString().isBlank()) {
      templates.computeIfAbsent(template, t -> new ArrayList<>()).add(document.toString());
    }
  }

  /**
   * The file Helm's {@code # Source:} names, under the chart directory as given: its first
   * segment is the chart's name, which need not be the directory's.
   */
  private String templatePath(String source) {
    int slash = source.indexOf('/');
    String inChart = slash < 0 ? source : source.substring(slash + 1);
    return chartDir.resolve(inChart).normalize().toString().replace('\\', '/');
  }

  /** The templates that rendered something, in Helm's output order. */
  List<String> templates() {
    return List.copyOf(templates.keySet());
  }

  /** Reads every template's documents into the batch, as one stream per template. */
  void readInto(ManifestReader reader, ManifestBatch batch) {
    templates.forEach((template, documents) -> {
      int[] lines = documentLines(template, documents);
      reader.readRendered(template, String.join("---\n", documents),
          i -> i < lines.length ? lines[i] : 0, batch);
    });
  }

  /**
   * Where each rendered document starts in its template, best effort: the template is cut at
   * its {@code ---} lines into sections, and a document of kind K is placed at the n-th section
   * whose {@code kind:} is literally K when it is the n-th document of kind K (the last such
   * section when a loop made more), at the section's first line that is neither blank, a
   * comment nor only template actions. A template of one section places every document there.
   * 0 (unknown) when the template cannot be read (a packaged subchart) or has no such section.
   */
  static int[] documentLines(String template, List<String> documents) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(template), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return new int[documents.size()];
    }
    List<Section> sections = sections(lines);
    Map<String, Integer> seen = new HashMap<>();
    int[] result = new int[documents.size()];
    for (int i = 0; i < documents.size(); i++) {
      String kind = kind(List.of(documents.get(i).split("\n")));
      List<Section> ofKind = sections.stream().filter(s -> s.kind() != null
          && s.kind().equals(kind)).toList();
      if (!ofKind.isEmpty()) {
        int n = seen.merge(kind, 1, Integer::sum) - 1;
        result[i] = ofKind.get(Math.min(n, ofKind.size() - 1)).start();
      } else if (sections.size() == 1) {
        result[i] = sections.get(0).start();
      }
    }
    return result;
  }

  /** A part of a template between {@code ---} lines: its first line and its literal kind. */
  private record Section(int start, String kind) {
  }

  private static List<Section> sections(List<String> lines) {
    List<Section> sections = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= lines.size(); i++) {
      if (i == lines.size() || SEPARATOR.matcher(lines.get(i)).matches()) {
        List<String> part = lines.subList(from, i);
        int start = from + 1;
        for (int j = 0; j < part.size(); j++) {
          String line = part.get(j);
          if (!line.isBlank() && !line.stripLeading().startsWith("#")
              && !ACTION_ONLY.matcher(line).matches()) {
            start = from + j + 1;
            break;
          }
        }
        if (part.stream().anyMatch(l -> !l.isBlank())) {
          sections.add(new Section(start, kind(part)));
        }
        from = i + 1;
      }
    }
    return sections;
  }

  /** The top-level {@code kind:} of a document, when literal; null otherwise. */
  private static String kind(List<String> lines) {
    for (String line : lines) {
      Matcher kind = KIND.matcher(line);
      if (kind.matches()) {
        return kind.group(1);
      }
    }
    return null;
  }
}
