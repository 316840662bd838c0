package io.stochastic.devops.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who owns which field of an object, read from its {@code metadata.managedFields} (server-side
 * apply's field sets, format {@code FieldsV1}), as JSON Pointers into the object as it is now.
 *
 * <p>This is what client-go's {@code Extract*} functions read: an applier that must keep the
 * fields it set has to send them again on every apply (a field it owns and omits is removed),
 * and an applier that must never overwrite a person's field has to know who owns it. A field set
 * entry {@code f:name} is a field, {@code k:{"name":"app"}} the list item with those key values,
 * {@code v:"x"} the set item with that value, {@code i:0} a list index; an empty set is a leaf.
 * Entries that no longer match the object (an item since removed) are skipped.
 */
public final class ManagedFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each manager's leaf fields (an entry per manager and operation), read once. */
  private final List<Entry> entries = new ArrayList<>();

  private record Entry(String manager, boolean applied, Set<String> fields) {}

  public ManagedFields(JsonNode object) {
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      Set<String> fields = new TreeSet<>();
      collect(entry.path("fieldsV1"), object, "", fields);
      // applied to the object itself, not to /status or /scale: what an applier sends again
      boolean applied = "Apply".equals(entry.path("operation").asText()) && mainResource(entry);
      entries.add(new Entry(entry.path("manager").asText(), applied, fields));
    }
  }

  /** The leaf fields {@code manager} owns through server-side apply (not through updates). */
  public Set<String> appliedBy(String manager) {
    Set<String> owned = new TreeSet<>();
    entries.stream().filter(e -> e.applied() && e.manager().equals(manager))
        .forEach(e -> owned.addAll(e.fields()));
    return owned;
  }

  /**
   * The manager, other than {@code self}, that owns {@code pointer} or a field inside it, if
   * any: setting that field to another value would take it from them. Subresources count:
   * replicas written through /scale are someone's replicas.
   */
  public String otherOwnerOf(String pointer, String self) {
    for (Entry entry : entries) {
      if (entry.manager().equals(self)) {
        continue;
      }
      for (String field : entry.fields()) {
        if (field.equals(pointer) || field.startsWith(pointer + "/")) {
          return entry.manager();
        }
      }
    }
    return null;
  }

  /** An apply to the object itself, not to one of its subresources. */
  private static boolean mainResource(JsonNode entry) {
    return entry.path("subresource").asText("").isEmpty();
  }

  private static void collect(JsonNode fields, JsonNode value, String pointer, Set<String> into) {
    if (!fields.isObject() || fields.isEmpty()) {
      into.add(pointer);
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> entries = fields.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String key = entry.getKey();
      if (".".equals(key)) {
        into.add(pointer);
        continue;
      }
      String token = resolve(key, value);
      if (token != null) {
        JsonNode child = value.isArray() ? value.path(Integer.parseInt(token)) : value.path(token);
        collect(entry.getValue(), child, pointer + "/" + escape(token), into);
      }
    }
  }

  /** The pointer token for one field set key at {@code value}; null when nothing matches. */
  private static String resolve(String key, JsonNode value) {
    if (key.startsWith("f:")) {
      return key.substring(2);
    }
    if (key.startsWith("i:")) {
      return key.substring(2);
    }
    if ((key.startsWith("k:") || key.startsWith("v:")) && value.isArray()) {
      JsonNode wanted = parse(key.substring(2));
      for (int i = 0; i < value.size(); i++) {
        if (key.startsWith("v:") ? value.get(i).equals(wanted) : matches(value.get(i), wanted)) {
          return Integer.toString(i);
        }
      }
    }
    return null;
  }

  /** An item matches a {@code k:} key when each key field has the same value (as text: 80/"80"). */
  private static boolean matches(JsonNode item, JsonNode keys) {
    if (keys == null || !keys.isObject()) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = keys.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!item.path(field.getKey()).asText().equals(field.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
