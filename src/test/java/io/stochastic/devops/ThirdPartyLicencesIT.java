package io.stochastic.devops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar carries the third-party licences of what it bundles: the generated list
 * META-INF/THIRD-PARTY.txt (license-maven-plugin) names every runtime dependency with its
 * licence, each dependency's own licence and notice files sit apart under META-INF/licenses/,
 * and the Apache NOTICE files are merged, not overwritten. The image copies the same files to
 * /usr/share/doc/kube-devops/ (scripts/image.sh checks they are there).
 *
 * <p>The runtime dependencies are the ones Maven resolved, as maven-dependency-plugin listed them
 * in target/runtime-dependencies.txt, and the ones the jar itself says it holds
 * (META-INF/maven/G/A/pom.properties).
 */
class ThirdPartyLicencesIT {
  private static final Path JAR = Path.of("target/kube-devops.jar");
  private static final Path RUNTIME = Path.of("target/runtime-dependencies.txt");
  /** {@code (Licence) [(Other licence) ]Name (group:artifact:version - url)}. */
  private static final Pattern LISTED = Pattern.compile(
      "^\\s+((?:\\([^()]+\\) )+)(.+) \\(([^:\\s]+):([^:\\s]+):(\\S+) - (.*)\\)$");
  private static final Pattern LICENCE = Pattern.compile("\\(([^()]+)\\)");
  private static final Pattern POM_PROPERTIES =
      Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");

  /** group:artifact:version → its licences, as the jar's list gives them. */
  private static final Map<String, List<String>> listed = new LinkedHashMap<>();
  private static final Set<String> entries = new TreeSet<>();
  private static String embedded;
  private static String notice;

  @BeforeAll
  static void readJar() throws IOException {
    assertThat(JAR).as("run after `package`: the failsafe phase").exists();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream().map(ZipEntry::getName).forEach(entries::add);
      ZipEntry embeddedList = jar.getEntry("META-INF/THIRD-PARTY-EMBEDDED.txt");
      assertThat(embeddedList).as("META-INF/THIRD-PARTY-EMBEDDED.txt in the jar").isNotNull();
      embedded = new String(jar.getInputStream(embeddedList).readAllBytes(),
          StandardCharsets.UTF_8);
      ZipEntry list = jar.getEntry("META-INF/THIRD-PARTY.txt");
      assertThat(list).as("META-INF/THIRD-PARTY.txt in the jar").isNotNull();
      String text = new String(jar.getInputStream(list).readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.lines().toList()) {
        Matcher m = LISTED.matcher(line);
        if (m.matches()) {
          List<String> licences = new ArrayList<>();
          Matcher l = LICENCE.matcher(m.group(1));
          while (l.find()) {
            licences.add(l.group(1).trim());
          }
          listed.put(m.group(3) + ":" + m.group(4) + ":" + m.group(5), licences);
        } else {
          assertThat(line).as("a line of THIRD-PARTY.txt that names no dependency")
              .matches("|Lists? of \\d+ third-party dependenc(y|ies)\\.");
        }
      }
      notice = new String(jar.getInputStream(jar.getEntry("META-INF/NOTICE")).readAllBytes(),
          StandardCharsets.UTF_8);
    }
  }

  @Test
  void listsEveryResolvedRuntimeDependencyWithItsVersion() throws IOException {
    List<String> runtime = new ArrayList<>();
    for (String line : Files.readAllLines(RUNTIME)) {
      String[] parts = line.trim().split("\\s+")[0].split(":");
      if (line.startsWith("   ") && parts.length >= 4) { // group:artifact:type[:classifier]:version
        runtime.add(parts[0] + ":" + parts[1] + ":" + parts[parts.length - 1]);
      }
    }
    assertThat(runtime).as(RUNTIME + ": the runtime artifacts Maven resolved").hasSizeGreaterThan(20);
    assertThat(listed.keySet()).as("META-INF/THIRD-PARTY.txt").containsAll(runtime);
    assertThat(listed).as("nothing listed that the jar does not bundle").hasSameSizeAs(runtime);
  }

  @Test
  void listsEveryDependencyTheJarSaysItHolds() {
    Set<String> listedArtifacts = new TreeSet<>();
    listed.keySet().forEach(gav -> listedArtifacts.add(gav.substring(0, gav.lastIndexOf(':'))));
    Set<String> bundled = new TreeSet<>();
    for (String entry : entries) {
      Matcher m = POM_PROPERTIES.matcher(entry);
      if (m.matches() && !m.group(1).equals("io.stochastic")) {
        bundled.add(m.group(1) + ":" + m.group(2));
      }
    }
    assertThat(bundled).isNotEmpty();
    // what a dependency embeds (relocated) is named in META-INF/THIRD-PARTY-EMBEDDED.txt
    Matcher named = Pattern.compile("([\\w.-]+:[\\w.-]+)").matcher(embedded);
    while (named.find()) {
      listedArtifacts.add(named.group(1));
    }
    assertThat(listedArtifacts).as("META-INF/THIRD-PARTY.txt and THIRD-PARTY-EMBEDDED.txt")
        .containsAll(bundled);
  }

  @Test
  void everyDependencyHasAKnownLicence() {
    listed.forEach((artifact, licences) -> assertThat(licences).as(artifact)
        .isNotEmpty()
        .noneSatisfy(l -> assertThat(l).matches("(?i).*(unknown|no licen[cs]e).*")));
  }

  /**
   * Each dependency's own LICENSE and NOTICE files are kept, under
   * META-INF/licenses/ARTIFACT-VERSION-jar/, and no dependency's copy stands at the top of the
   * jar as if it were everyone's.
   */
  @Test
  void keepsEachDependencysLicenceFilesApart() {
    Set<String> dirs = new TreeSet<>();
    for (String entry : entries) {
      if (entry.startsWith("META-INF/licenses/") && !entry.endsWith("/")) {
        dirs.add(entry.split("/")[2]);
      }
    }
    Set<String> expected = new TreeSet<>();
    listed.keySet().forEach(gav -> {
      String[] p = gav.split(":");
      expected.add(p[1] + "-" + p[2] + "-jar");
    });
    assertThat(dirs).as("one folder per dependency that ships licence files")
        .hasSizeGreaterThan(10).isSubsetOf(expected);
    assertThat(entries)
        .contains("META-INF/licenses/jackson-core-"
            + version("com.fasterxml.jackson.core:jackson-core") + "-jar/META-INF/LICENSE")
        .doesNotContain("META-INF/LICENSE", "META-INF/LICENSE.txt", "LICENSE", "about.html");
  }

  /** The Apache NOTICE files of the bundled dependencies are merged into META-INF/NOTICE. */
  @Test
  void mergesTheNoticeFiles() {
    assertThat(notice).contains("Apache Commons Text", "Apache Commons Lang",
        "Apache Commons Codec", "Apache MINA SSHD", "Jackson JSON processor");
  }

  private static String version(String groupArtifact) {
    return listed.keySet().stream().filter(gav -> gav.startsWith(groupArtifact + ":"))
        .map(gav -> gav.substring(gav.lastIndexOf(':') + 1)).findFirst().orElseThrow();
  }
}
