package io.sparkaistore.source.read;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Packs objects into partitions by bytes, the way Spark's file sources do: each object costs its
 * size plus an open cost, and a partition closes when the next object would take it past {@code
 * min(maxPartitionBytes, max(openCost, totalCost / minPartitions))}. Many small objects share a
 * partition; an object larger than that gets one of its own. Unlike Spark, which sorts files by
 * size first, objects stay in listing (name) order, so a partition reads neighbours and the rows of
 * a read come back in name order.
 */
final class PartitionPlanner {
  private PartitionPlanner() {}

  static long maxSplitBytes(
      long totalSize, int count, long maxPartitionBytes, long openCost, int minPartitions) {
    long totalCost = totalSize + (long) count * openCost;
    long bytesPerPartition = totalCost / Math.max(1, minPartitions);
    return Math.min(maxPartitionBytes, Math.max(openCost, bytesPerPartition));
  }

  static <T> List<List<T>> plan(
      List<T> objects,
      ToLongFunction<T> size,
      long maxPartitionBytes,
      long openCost,
      int minPartitions) {
    long total = objects.stream().mapToLong(size).sum();
    long maxSplit =
        maxSplitBytes(total, objects.size(), maxPartitionBytes, openCost, minPartitions);
    List<List<T>> partitions = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long currentCost = 0;
    for (T object : objects) {
      long bytes = size.applyAsLong(object);
      if (!current.isEmpty() && currentCost + bytes > maxSplit) {
        partitions.add(current);
        current = new ArrayList<>();
        currentCost = 0;
      }
      current.add(object);
      currentCost += bytes + openCost;
    }
    if (!current.isEmpty()) {
      partitions.add(current);
    }
    return partitions;
  }
}
