package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.write.AisWriteProvider;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Speculative execution, attempt by attempt, through the connector's DataSource V2 write: two
 * attempts of the same partition write the same samples; Spark's commit coordinator lets one
 * commit, the other is denied and aborted; a third attempt dies without even aborting. Exactly one
 * copy must remain, whether shards are staged and renamed or, named by partition, uploaded under
 * the same final names by every attempt and completed only for the committed one.
 */
class SpeculativeWriteIT {
  private static final StructType SCHEMA = StructType.fromDDL("__key__ STRING, txt STRING");

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void onlyTheCommittedAttemptSurvives(String shardNames) throws Exception {
    TestSpark.session(); // the connector reads session defaults when it parses options
    AisClient client = AisTestBuckets.client();
    AisBucket bucket = AisTestBuckets.create(client, "speculative");
    try {
      Map<String, String> options =
          Map.of(
              "path",
              "ais://" + bucket.name() + "/out/",
              "layout",
              "webdataset",
              "endpoint",
              AisTestCluster.endpoint().toString(),
              "maxSamplesPerShard",
              "2",
              "shardNames",
              shardNames);
      SupportsWrite table =
          (SupportsWrite) new AisWriteProvider().getTable(SCHEMA, new Transform[0], options);
      BatchWrite write = table.newWriteBuilder(info(options)).build().toBatch();
      DataWriterFactory factory = write.createBatchWriterFactory(() -> 1);

      WriterCommitMessage winner = writeFive(factory.createWriter(0, 100)).commit();
      DataWriter<InternalRow> denied = writeFive(factory.createWriter(0, 101));
      denied.abort(); // what Spark does when the coordinator refuses a speculative attempt's commit
      writeFive(factory.createWriter(0, 102)); // an executor lost mid-task: no commit, no abort
      write.commit(new WriterCommitMessage[] {winner});

      List<String> names =
          client.listObjects(bucket, ListOptions.prefix("out/")).stream()
              .map(ObjectEntry::name)
              .collect(Collectors.toList());
      List<String> shards =
          shardNames.equals("sequential")
              ? List.of("out/shard-000000.tar", "out/shard-000001.tar", "out/shard-000002.tar")
              : List.of(
                  "out/shard-speculativet-00000-0000.tar",
                  "out/shard-speculativet-00000-0001.tar",
                  "out/shard-speculativet-00000-0002.tar");
      List<String> expected = new java.util.ArrayList<>(List.of("out/_manifest.json"));
      for (String shard : shards) {
        expected.add(shard);
        expected.add(shard + ".idx");
      }
      assertEquals(
          expected, names, "three shards of one attempt with their indexes, nothing staged left");
      long samples =
          TestSpark.session()
              .read()
              .format("ais")
              .option("endpoint", AisTestCluster.endpoint().toString())
              .option("layout", "webdataset")
              .load("ais://" + bucket.name() + "/out/")
              .select("__key__")
              .distinct()
              .count();
      assertEquals(5, samples);
      assertTrue(client.listObjects(bucket, ListOptions.prefix("out/_temporary/")).isEmpty());
    } finally {
      AisTestBuckets.destroy(client, bucket);
    }
  }

  private static DataWriter<InternalRow> writeFive(DataWriter<InternalRow> writer)
      throws Exception {
    for (int i = 0; i < 5; i++) {
      writer.write(
          new GenericInternalRow(
              new Object[] {UTF8String.fromString("s" + i), UTF8String.fromString("t" + i)}));
    }
    return writer;
  }

  private static LogicalWriteInfo info(Map<String, String> options) {
    return new LogicalWriteInfo() {
      @Override
      public CaseInsensitiveStringMap options() {
        return new CaseInsensitiveStringMap(options);
      }

      @Override
      public String queryId() {
        return "speculative-test-query";
      }

      @Override
      public StructType schema() {
        return SCHEMA;
      }
    };
  }
}
