package io.sparkaistore.source.read;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A slice of the listing that one task reads, preferring the host of the target that holds most of
 * it.
 */
final class ObjectPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  private final List<ListedObject> objects;
  private final String[] preferredHosts;

  ObjectPartition(List<ListedObject> objects, String[] preferredHosts) {
    this.objects = List.copyOf(objects);
    this.preferredHosts = preferredHosts;
  }

  List<ListedObject> objects() {
    return objects;
  }

  @Override
  public String[] preferredLocations() {
    return preferredHosts.clone();
  }
}
