package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class PartitionPlannerTest {
  private static final ToLongFunction<Long> SIZE = Long::longValue;

  @Test
  void manySmallObjectsSharePartitions() {
    List<Long> sizes = List.of(1L, 1L, 1L, 1L, 1L, 1L);
    // maxSplit = min(10, max(2, 18 / 1)) = 10. As in Spark, an object joins while the cost so far
    // plus its size fits: 9 + 1 <= 10 admits a fourth object (cost 12), then 12 + 1 closes the
    // partition.
    assertEquals(
        List.of(List.of(1L, 1L, 1L, 1L), List.of(1L, 1L)),
        PartitionPlanner.plan(sizes, SIZE, 10, 2, 1));
  }

  @Test
  void hugeObjectGetsAPartitionOfItsOwn() {
    List<Long> sizes = List.of(1L, 1000L, 1L, 1L);
    assertEquals(
        List.of(List.of(1L), List.of(1000L), List.of(1L, 1L)),
        PartitionPlanner.plan(sizes, SIZE, 100, 1, 1));
  }

  @Test
  void minPartitionsSpreadsSmallTotals() {
    // 8 objects of 10 bytes, open cost 0: 80 bytes over 4 partitions is 20 bytes each.
    List<Long> sizes = List.of(10L, 10L, 10L, 10L, 10L, 10L, 10L, 10L);
    assertEquals(4, PartitionPlanner.plan(sizes, SIZE, 1 << 20, 0, 4).size());
  }

  @Test
  void openCostIsTheFloorOfTheSplitSize() {
    assertEquals(4, PartitionPlanner.maxSplitBytes(0, 0, 128, 4, 1000));
    assertEquals(128, PartitionPlanner.maxSplitBytes(1 << 30, 10, 128, 4, 2));
  }

  @Test
  void keepsListingOrderAndLosesNothing() {
    List<Long> sizes = List.of(5L, 9L, 1L, 7L, 3L, 8L, 2L);
    List<List<Long>> plan = PartitionPlanner.plan(sizes, SIZE, 10, 1, 1);
    assertEquals(
        sizes, plan.stream().flatMap(List::stream).collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void zeroByteObjectsCostTheirOpenCost() {
    List<Long> sizes = List.of(0L, 0L, 0L, 0L);
    assertEquals(2, PartitionPlanner.plan(sizes, SIZE, 4, 2, 1).size());
  }

  @Test
  void nothingToPlan() {
    assertEquals(List.of(), PartitionPlanner.plan(List.<Long>of(), SIZE, 10, 1, 1));
  }
}
