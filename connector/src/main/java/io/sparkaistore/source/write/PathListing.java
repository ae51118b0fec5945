package io.sparkaistore.source.write;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/** The objects under a write's path, page by page, leaving out every write's staging area. */
final class PathListing {
  private PathListing() {}

  /** Every object under {@code directory}. */
  static Set<String> objects(AisClient client, AisBucket bucket, String directory)
      throws AisException {
    Set<String> names = new HashSet<>();
    scan(
        client,
        bucket,
        directory,
        name -> {
          names.add(name);
          return false; // every name, even one a page lists again
        });
    return names;
  }

  /** Whether any object is under {@code directory}; stops at the first. */
  static boolean holdsObjects(AisClient client, AisBucket bucket, String directory)
      throws AisException {
    return scan(client, bucket, directory, name -> true);
  }

  /** Lists until {@code stop} is true of a name; returns whether it was. */
  private static boolean scan(
      AisClient client, AisBucket bucket, String directory, Predicate<String> stop)
      throws AisException {
    AisClient.ObjectLister pages = client.lister(bucket, ListOptions.prefix(directory));
    while (pages.hasNextPage()) {
      for (ObjectEntry e : pages.nextPage()) {
        if (!WriteTarget.isStaging(directory, e.name()) && stop.test(e.name())) {
          return true;
        }
      }
    }
    return false;
  }
}
