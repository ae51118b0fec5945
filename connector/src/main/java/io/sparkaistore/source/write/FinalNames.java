package io.sparkaistore.source.write;

import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.wds.DaliIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The names a job commit puts its objects under, settled against what the path holds before
 * anything is placed, so that a clash fails the write while the path is still untouched.
 */
final class FinalNames {
  private FinalNames() {}

  /**
   * {@code count} shard names numbered after every shard already there (an overwrite's too, which
   * it removes later), and after every shard's DALI index, so that a new shard never meets an index
   * left from an old one. Numbers of any width count, so that numbering goes on past 999999; a name
   * taken anyway (by an object named like a shard's directory, say), for the shard or its index,
   * fails the write before anything changes.
   */
  static List<String> numbered(
      WriteTarget target, Set<String> existing, int count, Compression compression) {
    String suffixes =
        Arrays.stream(Compression.values())
            .map(c -> Pattern.quote(c.shardSuffix()))
            .collect(Collectors.joining("|"));
    Pattern shard =
        Pattern.compile(
            Pattern.quote(target.prefix + "shard-")
                + "(\\d{6,18})("
                + suffixes
                + ")(?:"
                + Pattern.quote(DaliIndex.SUFFIX)
                + ")?");
    long next = 0;
    for (String name : existing) {
      Matcher m = shard.matcher(name);
      if (m.matches()) {
        next = Math.max(next, Long.parseLong(m.group(1)) + 1);
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name =
          String.format(
              Locale.ROOT, "%sshard-%06d%s", target.prefix, next + i, compression.shardSuffix());
      String clash = taken(name, existing);
      if (clash == null) {
        clash = taken(DaliIndex.nameOf(name), existing);
      }
      if (clash != null) {
        throw new IllegalStateException(
            "The next shard name '"
                + name
                + "' under "
                + target
                + " is taken by '"
                + clash
                + "'; nothing was changed. Move that object, or write in overwrite mode.");
      }
      names.add(name);
    }
    return names;
  }

  /**
   * The final names of {@code staged}, in order: numbered as {@link #numbered} within each
   * partition directory.
   */
  static List<String> numberedByDirectory(
      WriteTarget target,
      List<StagedObject> staged,
      Set<String> existing,
      Compression compression) {
    Map<String, List<Integer>> byDirectory = new LinkedHashMap<>();
    for (int i = 0; i < staged.size(); i++) {
      byDirectory.computeIfAbsent(staged.get(i).directory, d -> new ArrayList<>()).add(i);
    }
    String[] names = new String[staged.size()];
    byDirectory.forEach(
        (directory, positions) -> {
          List<String> numbered =
              numbered(target.below(directory), existing, positions.size(), compression);
          for (int i = 0; i < positions.size(); i++) {
            names[positions.get(i)] = numbered.get(i);
          }
        });
    return Arrays.asList(names);
  }

  /**
   * The names the tasks gave: the rows' own names, or the names of shards named by partition, which
   * carry the job's tag. They must be unique, none may be a directory of another, and none may be a
   * directory of an object already there: AIS cannot hold {@code a} beside {@code a/b} when both
   * land on one target, and keeps {@code a/} a directory even after {@code a/b} is deleted. An
   * append must also not meet an object already there under a new name or as a directory of one: it
   * replaces nothing.
   */
  static List<String> given(
      WriteTarget target, List<StagedObject> staged, Set<String> existing, boolean truncate) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (StagedObject o : staged) {
      String index = DaliIndex.nameOf(o.finalName);
      if (o.isPending() && (existing.contains(o.finalName) || existing.contains(index))) {
        throw new IllegalStateException(
            "Shard '"
                + (existing.contains(o.finalName) ? o.finalName : index)
                + "' already exists under "
                + target
                + ": another "
                + "write used the same job tag (the start of the query id). Nothing was replaced; run the write again.");
      }
      if (!seen.add(o.finalName)) {
        throw new IllegalArgumentException(
            "Two rows name the same object '"
                + o.finalName
                + "'; one would silently "
                + "replace the other. Make the names unique (e.g. dropDuplicates(\"name\")).");
      }
      names.add(o.finalName);
    }
    for (String name : names) {
      String dir = directoryIn(name, seen);
      if (dir != null) {
        throw new IllegalArgumentException(
            "Rows name both '"
                + dir
                + "' and '"
                + name
                + "': AIS cannot hold an "
                + "object beside a directory of the same name. Rename one of them.");
      }
      if (!truncate && (existing.contains(name) || directoryIn(name, existing) != null)) {
        String clash = existing.contains(name) ? name : directoryIn(name, existing);
        throw new IllegalArgumentException(
            "Object '"
                + clash
                + "' already exists under "
                + target
                + "; an append "
                + "does not replace objects"
                + (clash.equals(name) ? "" : " (it would make it a directory for '" + name + "')")
                + ". Write in overwrite mode to replace what is there.");
      }
    }
    for (String name : existing) {
      String dir = directoryIn(name, seen);
      if (dir != null) {
        throw new IllegalArgumentException(
            "Cannot write an object named '"
                + dir
                + "': '"
                + name
                + "' is under "
                + target
                + ", so AIS holds '"
                + dir
                + "/' as a directory, and keeps it one even after the objects under "
                + "it are deleted. Rename the row.");
      }
    }
    return names;
  }

  /**
   * The objects an overwrite must set aside before placing {@code finals}: those with a new
   * object's name, and those AIS could not hold beside one (an object {@code a} where {@code a/b}
   * is to go).
   */
  static List<String> toSetAside(Set<String> existing, List<String> finals) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : finals) {
      if (existing.contains(name)) {
        out.add(name);
      }
      String dir = directoryIn(name, existing);
      if (dir != null) {
        out.add(dir);
      }
    }
    return new ArrayList<>(out);
  }

  /** {@code name} if it exists, else the first object under it as a directory, else null. */
  private static String taken(String name, Set<String> existing) {
    return existing.contains(name) ? name : firstUnder(name, existing);
  }

  /**
   * The first of {@code names} under {@code name} as a directory ({@code a/b} for {@code a}), or
   * null.
   */
  private static String firstUnder(String name, Set<String> names) {
    for (String other : names) {
      if (other.startsWith(name + "/")) {
        return other;
      }
    }
    return null;
  }

  /**
   * The first of {@code names} that is a directory of {@code name} ({@code a} for {@code a/b/c}),
   * or null.
   */
  private static String directoryIn(String name, Set<String> names) {
    for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
      if (names.contains(name.substring(0, i))) {
        return name.substring(0, i);
      }
    }
    return null;
  }
}
