package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkaistore.client.Etl;
import io.sparkaistore.source.read.ObjectFetcher.Route;
import org.junit.jupiter.api.Test;

/**
 * The one choice of how an object is fetched, in the order ETL, parallel ranges, GetBatch, empty,
 * GET.
 */
class FetchRouteTest {
  private static final long THRESHOLD = 1000;
  private static final long BATCH_MAX = 100;

  private static ObjectFetcher.Settings settings(Etl etl, int getBatchSize) {
    return new ObjectFetcher.Settings(null, etl, THRESHOLD, 4, 64, getBatchSize, BATCH_MAX, false);
  }

  @Test
  void etlTakesEverySize() {
    ObjectFetcher.Settings etl = settings(new Etl("md5", null), 32);
    for (long size : new long[] {0, 1, BATCH_MAX, THRESHOLD, 1L << 40}) {
      assertEquals(Route.ETL, etl.route(size, true));
      assertEquals(Route.ETL, etl.route(size, false));
    }
  }

  @Test
  void largeObjectsAreReadInParallelRanges() {
    ObjectFetcher.Settings s = settings(null, 32);
    assertEquals(Route.PARALLEL, s.route(THRESHOLD, true));
    assertEquals(Route.PARALLEL, s.route(THRESHOLD, false));
    assertEquals(Route.SINGLE, s.route(THRESHOLD - 1, false));
  }

  @Test
  void smallWholeObjectsGoInBatchesBelowTheBatchBound() {
    ObjectFetcher.Settings s = settings(null, 32);
    assertEquals(Route.BATCH, s.route(0, true));
    assertEquals(Route.BATCH, s.route(BATCH_MAX - 1, true));
    assertEquals(Route.SINGLE, s.route(BATCH_MAX, true));
    // Streams (shards) are never batched.
    assertEquals(Route.SINGLE, s.route(BATCH_MAX - 1, false));
    assertEquals(Route.EMPTY, s.route(0, false));
  }

  @Test
  void aBatchSizeOfOneTurnsGetBatchOff() {
    ObjectFetcher.Settings s = settings(null, 1);
    assertEquals(Route.SINGLE, s.route(10, true));
    assertEquals(Route.EMPTY, s.route(0, true));
  }

  @Test
  void theParallelThresholdWinsOverTheBatchBound() {
    ObjectFetcher.Settings s = new ObjectFetcher.Settings(null, null, 50, 4, 64, 32, 100, false);
    assertEquals(Route.BATCH, s.route(49, true));
    assertEquals(Route.PARALLEL, s.route(50, true));
  }
}
