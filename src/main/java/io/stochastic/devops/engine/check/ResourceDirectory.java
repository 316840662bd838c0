package io.stochastic.devops.engine.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Lists the files of a classpath directory, whether it is a directory on disk (tests, IDE) or
 * inside the application jar, so that data files (checks, bundles) need no hand-kept index.
 */
public final class ResourceDirectory {
  private ResourceDirectory() {}

  /**
   * Resource names (like {@code checks/x.yaml}) directly under {@code directory} in every
   * classpath root that has it, sorted.
   */
  public static List<String> list(String directory, String suffix) {
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    java.util.Set<String> names = new java.util.TreeSet<>();
    try {
      Enumeration<URL> roots = ResourceDirectory.class.getClassLoader().getResources(prefix);
      while (roots.hasMoreElements()) {
        addNames(roots.nextElement(), prefix, suffix, names);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + prefix + " on the classpath", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot list " + prefix + " on the classpath", e);
    }
    return List.copyOf(names);
  }

  private static void addNames(URL url, String prefix, String suffix, java.util.Set<String> names)
      throws IOException, URISyntaxException {
    if ("jar".equals(url.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) url.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String name = entries.nextElement().getName();
          if (name.startsWith(prefix) && name.endsWith(suffix)
              && name.indexOf('/', prefix.length()) < 0) {
            names.add(name);
          }
        }
      }
    } else {
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        files.filter(Files::isRegularFile)
            .map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(suffix))
            .forEach(n -> names.add(prefix + n));
      }
    }
  }

  public static InputStream open(String name) {
    InputStream in = ResourceDirectory.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name);
    }
    return in;
  }
}
