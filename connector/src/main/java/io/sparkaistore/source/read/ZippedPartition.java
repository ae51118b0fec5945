package io.sparkaistore.source.read;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * All sources of a zipped read, each a list of shards in listing order. Zipping pairs items by
 * position across sources, so one task reads them all in lockstep: splitting it would need every
 * task to know how many items precede its slice, and duplicating it (as the Python stream does per
 * worker) would repeat rows.
 */
final class ZippedPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  private final List<List<ListedObject>> sources;

  ZippedPartition(List<List<ListedObject>> sources) {
    this.sources = new ArrayList<>();
    sources.forEach(s -> this.sources.add(List.copyOf(s)));
  }

  List<List<ListedObject>> sources() {
    return sources;
  }
}
