package io.stochastic.devops.helm;

/** A chart that Helm could not render: one line naming the chart and Helm's reason. */
public final class ChartRenderException extends IllegalStateException {
  ChartRenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
