package io.stochastic.devops.cli;

import io.stochastic.devops.engine.input.RenderedManifests;
import io.stochastic.devops.helm.HelmChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --helm-chart} and its values: a chart audit renders in-process. */
final class HelmChartOptions {
  @Option(names = "--helm-chart", paramLabel = "DIR",
      description = "A Helm chart directory to render (the real Helm, in-process) and audit, "
          + "alone or with PATHs; each object's source is its template. One chart per run.")
  Path helmChart;

  @Option(names = "--values", paramLabel = "FILE",
      description = "--helm-chart: a values file, as helm's -f (repeatable; later files win).")
  List<Path> helmValues = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "--helm-chart: one value, as helm's --set, after the values files "
          + "(repeatable; one KEY=VALUE each: a comma is part of the value).")
  List<String> helmSet = new ArrayList<>();

  @Option(names = "--helm-release", paramLabel = "NAME",
      description = "--helm-chart: the release name the chart is rendered with "
          + "(default: release-name, as helm template's). The release namespace is -n's.")
  String helmRelease;

  /**
   * The chart of --helm-chart, with its values, or none; the Helm options without a chart, and
   * no input at all, are usage errors. Helm (a native library) is loaded only when a chart is
   * rendered, so an audit of files never pays for it.
   */
  List<RenderedManifests> charts(boolean hasPaths, String namespace,
      CommandLine commandLine) {
    if (helmChart == null) {
      if (!hasPaths) {
        throw new ParameterException(commandLine,
            "Missing required parameter: 'PATH|-' (or --helm-chart DIR)");
      }
      if (!helmValues.isEmpty() || !helmSet.isEmpty() || helmRelease != null) {
        throw new UserException((!helmValues.isEmpty() ? "--values" : !helmSet.isEmpty()
            ? "--set" : "--helm-release") + " needs --helm-chart DIR");
      }
      return List.of();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : helmSet) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new UserException("--set: expected KEY=VALUE, not '" + pair + "'");
      }
      values.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return List.of(new HelmChart(helmChart, helmValues, values,
        helmRelease == null ? HelmChart.DEFAULT_RELEASE : helmRelease, namespace));
  }
}
