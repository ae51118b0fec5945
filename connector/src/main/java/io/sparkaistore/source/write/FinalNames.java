package io.sparkaistore.source.write;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a job commit puts its objects under, settled against what the path holds before anything
 * is placed, so that a clash fails the write while the path is still untouched.
 */
final class FinalNames {
  private FinalNames() {}

  /** {@code count} shard names numbered after every shard already there (an overwrite's too, which it removes later). */
  static List<String> numbered(WriteTarget target, Set<String> existing, int count, String suffix) {
    Pattern shard = Pattern.compile(Pattern.quote(target.prefix + "shard-") + "(\\d{6,9})\\.tar(\\.gz)?");
    int next = 0;
    for (String name : existing) {
      Matcher m = shard.matcher(name);
      if (m.matches()) {
        next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(String.format(Locale.ROOT, "%sshard-%06d%s", target.prefix, next + i, suffix));
    }
    return names;
  }

  /**
   * The names the tasks gave: the rows' own names, or the names of shards named by partition, which
   * carry the job's tag. They must be unique, none may be a directory of another (AIS cannot hold
   * {@code a} beside {@code a/b} when both land on one target), and an append must not meet an object
   * already there under the same name or as a directory of it: an append replaces nothing.
   */
  static List<String> given(WriteTarget target, List<StagedObject> staged, Set<String> existing, boolean truncate) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (StagedObject o : staged) {
      if (o.isPending() && existing.contains(o.finalName)) {
        throw new IllegalStateException("Shard '" + o.finalName + "' already exists under " + target + ": another "
            + "write used the same job tag (the start of the query id). Nothing was replaced; run the write again.");
      }
      if (!seen.add(o.finalName)) {
        throw new IllegalArgumentException("Two rows name the same object '" + o.finalName + "'; one would silently "
            + "replace the other. Make the names unique (e.g. dropDuplicates(\"name\")).");
      }
      names.add(o.finalName);
    }
    for (String name : names) {
      String dir = directoryIn(name, seen);
      if (dir != null) {
        throw new IllegalArgumentException("Rows name both '" + dir + "' and '" + name + "': AIS cannot hold an "
            + "object beside a directory of the same name. Rename one of them.");
      }
      if (!truncate) {
        String clash = existing.contains(name) ? name : directoryIn(name, existing);
        if (clash != null) {
          throw new IllegalArgumentException("Object '" + clash + "' already exists under " + target + "; an append "
              + "does not replace objects" + (clash.equals(name) ? "" : " (it would make it a directory for '" + name
              + "')") + ". Write in overwrite mode to replace what is there.");
        }
      }
    }
    if (!truncate) {
      for (String name : existing) {
        String dir = directoryIn(name, seen);
        if (dir != null) {
          throw new IllegalArgumentException("Object '" + name + "' already exists under " + target + " and makes '"
              + dir + "' a directory; an append does not replace objects. Write in overwrite mode to replace it.");
        }
      }
    }
    return names;
  }

  /**
   * The objects an overwrite must set aside before placing {@code finals}: those with a new object's
   * name, and those AIS could not hold beside one (a directory of it, or under it as a directory).
   */
  static List<String> toSetAside(Set<String> existing, List<String> finals) {
    Set<String> news = new HashSet<>(finals);
    Set<String> out = new LinkedHashSet<>();
    for (String name : existing) {
      if (news.contains(name) || directoryIn(name, news) != null) {
        out.add(name);
      }
    }
    for (String name : finals) {
      String dir = directoryIn(name, existing);
      if (dir != null) {
        out.add(dir);
      }
    }
    return new ArrayList<>(out);
  }

  /** The first of {@code names} that is a directory of {@code name} ({@code a} for {@code a/b/c}), or null. */
  private static String directoryIn(String name, Set<String> names) {
    for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
      if (names.contains(name.substring(0, i))) {
        return name.substring(0, i);
      }
    }
    return null;
  }
}
