package io.stochastic.devops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and commit of this build, from the properties Maven filters at build time. */
public record BuildInfo(String version, String commit, String commitTime) {
  private static final String RESOURCE = "kube-devops-version.properties";

  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
    return new BuildInfo(value(p, "version"), value(p, "commit"), value(p, "commitTime"));
  }

  private static String value(Properties p, String key) {
    String value = p.getProperty(key, "");
    // An unresolved ${...} means the build had no git metadata (a source tarball).
    return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
  }
}
