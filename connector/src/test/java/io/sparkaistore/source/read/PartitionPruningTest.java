package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.ReadConfig;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PartitionPruningTest {
  private static final StructType TABLE =
      new StructType()
          .add("__key__", DataTypes.StringType)
          .add("jpg", DataTypes.BinaryType)
          .add("split", DataTypes.StringType);

  private static PartitionPruning pruning(Filter... filters) {
    ReadConfig options =
        ReadConfig.parse(
            OptionValues.of(
                Map.of(),
                Map.of(
                    "paths",
                    "[\"ais://b/out/\"]",
                    "layout",
                    "webdataset",
                    "endpoint",
                    "http://127.0.0.1:1")),
            Map.of(),
            new ReadConfig.SessionDefaults(2, false, false));
    PartitionPruning pruning = PartitionPruning.of(options, TABLE);
    pruning.push(filters);
    return pruning;
  }

  private static ListedObject shard(String name) {
    return new ListedObject(
        AisBucket.ais("b"), new ObjectEntry(name, 10, null, null, null, null, 0));
  }

  /** Every listed shard the filters keep must pass the narrowed listing, or its rows are lost. */
  private static void assertNarrowingKeeps(String name, Filter filter) {
    PartitionPruning pruning = pruning(filter);
    ListedObject shard = shard(name);
    assertEquals(List.of(shard), pruning.prune(List.of(shard)), "the filter matches " + name);
    ObjectFilters narrowed = pruning.narrow(new ObjectFilters(List.of()), List.of("out/"));
    assertTrue(narrowed.matches(shard), name + " is cut by " + narrowed.filters());
  }

  @Test
  void narrowingTheListingKeepsEveryShardTheValuesMatch() {
    assertNarrowingKeeps("out/split=train/shard-000000.tar", new EqualTo("split", "train"));
    assertNarrowingKeeps("out/split=a%2Fb/shard-000000.tar", new EqualTo("split", "a/b"));
    // Directories other writers escaped otherwise read as the same values
    assertNarrowingKeeps("out/split=a%2fb/shard-000000.tar", new EqualTo("split", "a/b"));
    assertNarrowingKeeps("out/split=a%20b/shard-000000.tar", new EqualTo("split", "a b"));
  }

  @Test
  void aPlainValueStillNarrowsTheListing() {
    ObjectFilters narrowed =
        pruning(new EqualTo("split", "train"))
            .narrow(new ObjectFilters(List.of()), List.of("out/"));
    assertEquals("out/split=train/", narrowed.narrowPrefix("out/"));
  }
}
