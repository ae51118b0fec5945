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
  private final SampleSelection selection;

  ObjectPartition(List<ListedObject> objects, String[] preferredHosts, SampleSelection selection) {
    this.objects = List.copyOf(objects);
    this.preferredHosts = preferredHosts;
    this.selection = selection;
  }

  List<ListedObject> objects() {
    return objects;
  }

  /**
   * The samples wanted from the shards (webdataset), carried by the partition because a runtime
   * filter narrows it after the reader factory was made.
   */
  SampleSelection selection() {
    return selection;
  }

  @Override
  public String[] preferredLocations() {
    return preferredHosts.clone();
  }
}
