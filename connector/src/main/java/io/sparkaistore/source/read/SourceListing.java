package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.wds.DaliIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The driver's one listing of a read: every source path listed page by page, pushed predicates
 * applied, each object kept once even when prefixes overlap, and the listing cut short once a
 * pushed {@code LIMIT} is reached. As in Spark's file sources, an object whose name below the path
 * has a component starting with {@code _} is not data: a write's {@code _manifest.json} and its
 * {@code _temporary/} staging area. Nor, when the objects are read as shards, is a shard's DALI
 * index ({@code <shard>.idx}): it goes with its shard, for reads that fetch only what they need. A
 * path with brace patterns or globs lists its literal prefix and keeps the names its pattern
 * matches; as in Spark, a pattern that matches nothing fails the read.
 */
final class SourceListing {
  private SourceListing() {}

  static List<ListedObject> list(
      AisClient client,
      List<AisPath> paths,
      boolean shards,
      ObjectFilters filters,
      String props,
      int pageSize,
      int limit)
      throws AisException {
    Map<String, ListedObject> unique = new LinkedHashMap<>();
    Map<String, ObjectEntry> indexes = new HashMap<>();
    for (AisPath path : paths) {
      String prefix = filters.narrowPrefix(path.prefix());
      if (prefix == null) {
        continue; // a pushed name prefix rules out everything under this path
      }
      AisClient.ObjectLister pages =
          client.lister(
              path.bucket(), ListOptions.prefix(prefix).withProps(props).withPageSize(pageSize));
      Set<String> matched = new HashSet<>();
      while (pages.hasNextPage() && unique.size() < limit) {
        for (ObjectEntry entry : pages.nextPage()) {
          if (shards && DaliIndex.isIndex(entry.name()) && !isHidden(path.prefix(), entry.name())) {
            indexes.put(path.bucket() + "/" + DaliIndex.shardOf(entry.name()), entry);
            continue;
          }
          if (!isData(path.prefix(), entry.name(), shards) || !path.selects(entry.name())) {
            continue;
          }
          if (path.isPattern() && (matched.isEmpty() || path.pattern().isExplicit())) {
            matched.add(path.pattern().matchedPart(entry.name()));
          }
          ListedObject object = new ListedObject(path.bucket(), entry);
          if (unique.size() < limit && filters.matches(object)) {
            unique.putIfAbsent(path.bucket() + "/" + entry.name(), object);
          }
        }
      }
      // only a whole listing of the pattern's own prefix shows what is missing
      if (path.isPattern() && prefix.equals(path.prefix()) && !pages.hasNextPage()) {
        requireMatches(path, matched);
      }
    }
    List<ListedObject> listed = new ArrayList<>(unique.size());
    unique.forEach(
        (name, object) -> {
          // DALI indexes plain tars only: a stray .idx beside another shard is not taken for one
          ObjectEntry index = name.endsWith(".tar") ? indexes.get(name) : null;
          listed.add(index == null ? object : object.withIndex(index));
        });
    return listed;
  }

  /**
   * As Spark fails a glob that matches nothing and an explicit path that does not exist: a pattern
   * must match, and each name braces alone expand to (WebDataset's and the AIS CLI's explicit shard
   * lists) must be there, whole or as a directory.
   */
  static void requireMatches(AisPath path, Set<String> matched) {
    if (matched.isEmpty()) {
      throw noMatch(path);
    }
    if (path.pattern().isExplicit()) {
      List<String> missing = path.pattern().missing(matched, 5);
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            "Path does not exist: "
                + path
                + " expands to names that are not in "
                + path.bucket()
                + ", e.g. "
                + missing
                + ". Fix the range or alternatives, or select with a glob (e.g. [0-9]) to read what is"
                + " there.");
      }
    }
  }

  /** Spark's error for a glob that matches nothing, with what was listed. */
  static IllegalArgumentException noMatch(AisPath path) {
    return new IllegalArgumentException(
        "Path does not exist: "
            + path
            + " (no object under '"
            + path.prefix()
            + "' in "
            + path.bucket()
            + " matches the pattern; to read names with a literal {, }, [, ], *, ? or , escape them "
            + "with a backslash, e.g. ais://b/a\\{1\\}.txt)");
  }

  /**
   * Whether the object {@code name} listed under {@code prefix} is read: not hidden, and when the
   * objects are {@code shards}, not a shard's index.
   */
  static boolean isData(String prefix, String name, boolean shards) {
    return !isHidden(prefix, name) && !(shards && DaliIndex.isIndex(name));
  }

  /**
   * Whether {@code name}, below the directory part of {@code prefix}, has a component starting with
   * '_'.
   */
  static boolean isHidden(String prefix, String name) {
    String below = name.substring(prefix.lastIndexOf('/') + 1);
    return below.startsWith("_") || below.contains("/_");
  }
}
