package io.stochastic.devops.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stochastic.devops.kube.ObjectYaml;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the generators print objects: YAML documents under wrapped {@code #} comments (what a
 * person reads and commits), or one {@code v1 List} in JSON (what a program reads).
 */
final class ManifestText {
  private static final int WIDTH = 100;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectYaml YAML = ObjectYaml.asIs();

  private ManifestText() {}

  /** One object as one YAML document, without {@code ---}. */
  static String yaml(HasMetadata object) {
    return YAML.write(map(object));
  }

  /** A {@code v1 List} of {@code objects}, for {@code kubectl apply -f} or a program. */
  static String jsonList(List<HasMetadata> objects) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(map(new KubernetesListBuilder().addAllToItems(objects).build()))
          + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object object) {
    return SERIALIZATION.convertValue(object, LinkedHashMap.class);
  }

  /** {@code text} as {@code #} lines of at most {@link #WIDTH}; list items keep an indent. */
  static void comment(StringBuilder out, String text) {
    for (String paragraph : text.split("\n")) {
      if (paragraph.isBlank()) {
        continue;
      }
      String indent = paragraph.startsWith("- ") ? "  " : "";
      StringBuilder line = new StringBuilder("#");
      for (String word : paragraph.split(" ")) {
        if (line.length() > 1 + indent.length() && line.length() + 1 + word.length() > WIDTH) {
          out.append(line).append('\n');
          line = new StringBuilder("# ").append(indent).append(word);
        } else {
          line.append(' ').append(word);
        }
      }
      out.append(line).append('\n');
    }
  }
}
