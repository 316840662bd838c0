package io.stochastic.devops.engine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes version objects are judged for (the API server they are applied to): what the
 * checks about deprecated and removed APIs compare with. Only major and minor matter: APIs are
 * removed in minor releases. Checks read it as the CEL variable {@code kubernetesVersion}
 * ({@link #asMap()}).
 *
 * @param major 1
 * @param minor the N of 1.N
 */
public record KubernetesVersion(int major, int minor) implements Comparable<KubernetesVersion> {
  /**
   * The version the test suite's API server runs (pom.xml {@code kube.version}; a test pins the
   * two together): the default of an offline audit, which has no server to ask.
   */
  public static final KubernetesVersion DEFAULT = new KubernetesVersion(1, 36);

  private static final Pattern FORMAT =
      Pattern.compile("v?(\\d{1,4})\\.(\\d{1,4})(?:\\.\\d{1,6}(?:[-+][0-9A-Za-z.+-]*)?)?");

  public KubernetesVersion {
    if (major < 1 || minor < 0) {
      throw new IllegalArgumentException("not a Kubernetes version: " + major + "." + minor);
    }
  }

  /**
   * Parses {@code 1.N}, {@code v1.N}, {@code 1.N.P} or {@code v1.N.P} (a build suffix after the
   * patch, {@code v1.30.2-gke.1587003}, {@code v1.29.3+k3s1}, is allowed and ignored).
   *
   * @throws IllegalArgumentException naming the expected format
   */
  public static KubernetesVersion parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a Kubernetes version "
          + "(expected 1.N or v1.N.P, for example 1.32 or v1.32.4)");
    }
    return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /**
   * The version an API server reports at {@code /version}: {@code major} and {@code minor}
   * (some distributions write {@code "28+"}), else its {@code gitVersion}.
   *
   * @throws IllegalArgumentException when neither can be read
   */
  public static KubernetesVersion ofServer(String major, String minor, String gitVersion) {
    String digitsMajor = major == null ? "" : major.replaceAll("\\D", "");
    String digitsMinor = minor == null ? "" : minor.replaceAll("\\D", "");
    if (!digitsMajor.isEmpty() && !digitsMinor.isEmpty() && digitsMajor.length() < 5
        && digitsMinor.length() < 5) {
      return new KubernetesVersion(Integer.parseInt(digitsMajor), Integer.parseInt(digitsMinor));
    }
    return parse(gitVersion);
  }

  /** What CEL sees: {@code {major: 1, minor: 36, version: '1.36'}}. */
  public Map<String, Object> asMap() {
    return Map.of("major", (long) major, "minor", (long) minor, "version", toString());
  }

  @Override
  public int compareTo(KubernetesVersion other) {
    return major != other.major ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
