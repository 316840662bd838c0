package io.stochastic.devops.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** What SARIF's {@code artifactLocation.uri} holds for a file, shared by every SARIF renderer. */
final class SarifLocations {
  private SarifLocations() {
  }

  /**
   * A relative path stays a relative URI reference (to the repository root CI runs in), with
   * {@code /} separators and every character a URI path cannot hold percent-encoded (spaces,
   * {@code #}, {@code %}, {@code ?}, non-ASCII); an absolute path is a {@code file:} URI. A first
   * segment with a colon is prefixed {@code ./}, or it would read as a URI scheme.
   */
  static String uri(String file) {
    String path = file.replace('\\', '/');
    if (Path.of(file).isAbsolute()) {
      return Path.of(file).toUri().toASCIIString();
    }
    int slash = path.indexOf('/');
    String firstSegment = slash < 0 ? path : path.substring(0, slash);
    if (firstSegment.contains(":")) {
      path = "./" + path;
    }
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      return path;
    }
  }
}
