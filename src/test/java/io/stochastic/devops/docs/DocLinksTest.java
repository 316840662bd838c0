package io.stochastic.devops.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README, docs/ and the other READMEs points at a file of the
 * repository, and a link to a heading (page.md#heading) at a heading that page has. Links in
 * fenced code blocks or code spans and links with a scheme (https:) are not checked.
 */
class DocLinksTest {
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(
        List.of(Path.of("README.md"), Path.of("policies/README.md"), Path.of("examples/README.md"),
            Path.of("argocd/README.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void relativeLinksResolve() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      for (String target : links(page)) {
        if (SCHEME.matcher(target).find()) {
          continue;
        }
        checked++;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? "" : target.substring(hash + 1);
        Path file = path.isEmpty() ? page : page.resolveSibling(path).normalize();
        if (!Files.exists(file)) {
          broken.add(page + ": " + target + " (no file " + file + ")");
        } else if (!fragment.isEmpty() && file.toString().endsWith(".md")
            && !anchors(file).contains(fragment)) {
          broken.add(page + ": " + target + " (no heading #" + fragment + " in " + file + ")");
        }
      }
    }
    assertThat(checked).as("relative links found").isPositive();
    assertThat(broken).as("broken relative links").isEmpty();
  }

  @Test
  void anchorsAreGitHubs() {
    assertThat(anchor("Rendered manifests: `set -o pipefail`"))
        .isEqualTo("rendered-manifests-set--o-pipefail");
    assertThat(anchor("Putting kube-devops on the PATH")).isEqualTo("putting-kube-devops-on-the-path");
  }

  /** The link targets of a Markdown page, outside fenced code blocks. */
  static List<String> links(Path page) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(page)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (!fenced) {
        // What a code span holds is text, not a link.
        Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
        while (m.find()) {
          targets.add(m.group(1));
        }
      }
    }
    return targets;
  }

  private static Set<String> anchors(Path page) throws IOException {
    boolean[] fenced = {false};
    return Files.readAllLines(page).stream()
        .filter(line -> {
          if (line.stripLeading().startsWith("```")) {
            fenced[0] = !fenced[0];
            return false;
          }
          return !fenced[0];
        })
        .map(HEADING::matcher).filter(Matcher::matches)
        .map(m -> anchor(m.group(1))).collect(Collectors.toSet());
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen. */
  static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
  }
}
