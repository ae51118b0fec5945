package io.sparkaistore.source.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class PartitionSchemeTest {
  private static final StructType YEAR_SPLIT =
      new StructType().add("year", DataTypes.IntegerType).add("split", DataTypes.StringType);

  @Test
  void basesAreThePathsDirectoriesOrTheBasePath() {
    assertEquals(List.of("out/"), PartitionScheme.bases(List.of("out/"), null));
    assertEquals(List.of("", "out/"), PartitionScheme.bases(List.of("out"), null));
    assertEquals(
        List.of("out/", "out/shard-0/"), PartitionScheme.bases(List.of("out/shard-0"), null));
    assertEquals(List.of("out/"), PartitionScheme.bases(List.of("out/year=1/"), "out"));
  }

  @Test
  void valuesComeFromTheDirectoriesBelowTheLongestBase() {
    PartitionScheme scheme =
        new PartitionScheme(PartitionScheme.bases(List.of("out"), null), YEAR_SPLIT);
    assertEquals(
        Arrays.asList(2024, UTF8String.fromString("a/b")),
        new ArrayList<>(scheme.values("out/year=2024/split=a%2Fb/s.tar", "s").values()));
    assertEquals(
        Arrays.asList(null, null),
        new ArrayList<>(
            scheme
                .values(
                    "out/year=__HIVE_DEFAULT_PARTITION__/split=__HIVE_DEFAULT_PARTITION__/s.tar",
                    "s")
                .values()));
  }

  @Test
  void aShardOutsideThePartitionColumnsFailsTheReadNamingIt() {
    PartitionScheme scheme = new PartitionScheme(List.of("out/"), YEAR_SPLIT);
    for (String name :
        List.of("out/split=a/year=1/s.tar", "out/year=1/s.tar", "out/year=x/split=a/s.tar")) {
      String message =
          assertThrows(IllegalArgumentException.class, () -> scheme.values(name, "ais://b/" + name))
              .getMessage();
      assertTrue(
          message.startsWith("Inconsistent partition directories: shard ais://b/" + name), message);
    }
    String plain =
        assertThrows(IllegalArgumentException.class, () -> scheme.values("out/s.tar", "s"))
            .getMessage();
    assertTrue(plain.contains("are not BINARY, as a member extension's column is"), plain);
  }
}
