package io.stochastic.devops.engine.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The table of deprecated and removed Kubernetes APIs (checks-data/kubernetes-apis.yaml) as
 * rows, in file order, for the tests that hold it to its invariants and to a real API server.
 * Read with duplicate keys refused, which a plain map would silently merge.
 */
public final class KubernetesApiTable {
  public static final String RESOURCE = CheckCatalog.DATA_DIRECTORY + "/kubernetes-apis.yaml";

  /** One apiVersion and kind; null for what the row does not give. */
  public record Row(String apiVersion, String kind, String deprecatedIn, String removedIn,
      String replacement, String replacementKind, String instead, List<String> fields) {
    /** The group of the apiVersion ({@code ""} for the core group). */
    public String group() {
      int slash = apiVersion.indexOf('/');
      return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The minor version of {@code 1.N}. */
    public static int minor(String version) {
      return Integer.parseInt(version.substring(version.indexOf('.') + 1));
    }
  }

  private KubernetesApiTable() {}

  /** The top-level keys of the file, in order. */
  public static List<String> topLevelKeys() throws IOException {
    List<String> keys = new ArrayList<>();
    read().fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** The apiVersions, in file order. */
  public static List<String> apiVersions() throws IOException {
    List<String> versions = new ArrayList<>();
    read().path("apis").fieldNames().forEachRemaining(versions::add);
    return versions;
  }

  /** Every row, in file order. */
  public static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> versions = read().path("apis").fields();
        versions.hasNext(); ) {
      Map.Entry<String, JsonNode> version = versions.next();
      for (Iterator<Map.Entry<String, JsonNode>> kinds = version.getValue().fields();
          kinds.hasNext(); ) {
        Map.Entry<String, JsonNode> kind = kinds.next();
        JsonNode e = kind.getValue();
        List<String> fields = new ArrayList<>();
        e.fieldNames().forEachRemaining(fields::add);
        rows.add(new Row(version.getKey(), kind.getKey(), text(e, "deprecatedIn"),
            text(e, "removedIn"), text(e, "replacement"), text(e, "replacementKind"),
            text(e, "instead"), fields));
      }
    }
    return rows;
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static JsonNode read() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try (InputStream in = ResourceDirectory.open(RESOURCE)) {
      return yaml.readTree(in);
    }
  }
}
