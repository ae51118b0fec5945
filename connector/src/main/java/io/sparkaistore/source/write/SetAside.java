package io.sparkaistore.source.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The old objects that new objects of an objects-layout overwrite replace under the same names (or
 * that AIS could not hold beside them: {@code a} and {@code a/b}), kept until the write is
 * committed. Before any new object is placed, {@value #JOURNAL} in the job's staging area lists
 * them, and each is renamed to {@code <staging>replaced/<n>}. An undone write copies them back and
 * then deletes the copies set aside; a committed one leaves them to the sweep of the staging area.
 * What cannot be put back stays there, named in the error and in the journal.
 */
final class SetAside {
  static final String JOURNAL = "replaced.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AisClient client;
  private final WriteTarget target;
  private final CommitSteps steps;
  private final List<String> names;
  private final Set<Integer> moved = ConcurrentHashMap.newKeySet();
  private final List<String> stranded = new ArrayList<>();

  SetAside(AisClient client, WriteTarget target, CommitSteps steps, List<String> names) {
    this.client = client;
    this.target = target;
    this.steps = steps;
    this.names = List.copyOf(names);
  }

  /** The names whose old objects are set aside. */
  List<String> names() {
    return names;
  }

  private String asideName(int index) {
    return target.stagingPrefix() + "replaced/" + index;
  }

  String journal() {
    return target.stagingPrefix() + JOURNAL;
  }

  /** Writes the journal, then renames every object aside. */
  void move() throws IOException {
    if (names.isEmpty()) {
      return;
    }
    ObjectNode journal = JSON.createObjectNode().put("path", target.toString());
    ArrayNode list = journal.putArray("replaced");
    for (int i = 0; i < names.size(); i++) {
      list.addObject().put("name", names.get(i)).put("keptAt", asideName(i));
    }
    client.put(
        target.bucket, journal(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(journal));
    steps.all(
        names.size(),
        i -> {
          moved.add(i); // before the request: an interrupted one may still complete in AIS
          client.rename(target.bucket, names.get(i), asideName(i));
        });
  }

  /**
   * Puts back every object that was set aside, over what the write put under its name. Returns what
   * could not be put back, as "the old name is at where (why)".
   */
  List<String> restore() {
    List<Integer> indexes = new ArrayList<>(moved);
    Map<Integer, Exception> failures = steps.each(indexes.size(), k -> putBack(indexes.get(k)));
    failures.forEach(
        (k, e) ->
            stranded.add(
                "the old '"
                    + names.get(indexes.get(k))
                    + "' is at '"
                    + asideName(indexes.get(k))
                    + "' ("
                    + e.getMessage()
                    + ")"));
    return stranded;
  }

  private void putBack(int index) throws AisException {
    try {
      client.headObject(target.bucket, asideName(index));
    } catch (AisException e) {
      if (e.isNotFound()) {
        return; // the rename aside never happened: the old object is still under its name
      }
      throw e;
    }
    // A copy, then a delete, never AIS's rename: a rename onto a name that is a directory on its
    // target (as a new a/b leaves a/ after it is deleted) answers 200 and drops the object.
    client.copy(target.bucket, asideName(index), names.get(index));
    client.delete(target.bucket, asideName(index));
  }

  /**
   * Whether the sweep of the staging area must leave {@code name}: what could not be put back, and
   * the journal.
   */
  boolean keeps(String name) {
    return !stranded.isEmpty()
        && (name.equals(journal()) || name.startsWith(target.stagingPrefix() + "replaced/"));
  }
}
