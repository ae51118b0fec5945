package io.sparkaistore.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quickstart, end to end on a real AIS cluster:
 *
 * <ol>
 *   <li>writes a small labelled image dataset (PNG + class) as WebDataset shards, a few images
 *       corrupt;
 *   <li>reads the shards in Spark, one row per sample;
 *   <li>preprocesses: decodes, drops what does not decode, converts to 16x16 grayscale, re-encodes
 *       as JPEG;
 *   <li>writes training-ready shards, atomically, with a manifest;
 *   <li>reads them back and checks every sample.
 * </ol>
 *
 * <p>Run it with {@code scripts/quickstart}, which starts a local AIS when {@code AIS_ENDPOINT} is
 * unset, or with {@code spark-submit}, which gives the master; a run without one uses {@code
 * local[2]}. {@code examples/python/quickstart.py} is the same job in PySpark.
 */
public final class Quickstart {
  static final String BUCKET = "spark-aistore-quickstart";
  private static final String[] LABELS = {"circle", "square", "stripe"};
  private static final int IMAGES = 60;

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    AisClientConfig config = AisClientConfig.fromEnvironment().build();
    AisClient ais = AisClient.create(config);
    AisBucket bucket = AisBucket.ais(BUCKET);
    if (ais.bucketExists(bucket)) {
      ais.destroyBucket(bucket);
    }
    ais.createBucket(bucket);
    String endpoint = config.endpoint().toString();

    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("spark-aistore quickstart")
            .config("spark.ui.enabled", "false")
            .config("spark.datasource.ais.endpoint", endpoint);
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[2]"); // a bare `java` run; spark-submit sets the master
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      spark
          .createDataFrame(
              labelledImages(),
              new StructType().add("__key__", "string").add("png", "binary").add("cls", "int"))
          .repartition(2)
          .write()
          .format("ais")
          .option("layout", "webdataset")
          .option("maxSamplesPerShard", "20")
          .save("ais://" + BUCKET + "/raw/");
      System.out.printf(
          "1. wrote %d labelled images as WebDataset shards to ais://%s/raw/ at %s%n",
          IMAGES, BUCKET, endpoint);

      Dataset<Row> raw =
          spark
              .read()
              .format("ais")
              .option("layout", "webdataset")
              .load("ais://" + BUCKET + "/raw/");
      System.out.printf(
          "2. read %d samples with columns %s%n", raw.count(), List.of(raw.columns()));

      UserDefinedFunction toJpeg =
          udf((UDF1<byte[], byte[]>) Quickstart::grayscaleJpeg, DataTypes.BinaryType);
      Dataset<Row> train =
          raw.withColumn("jpg", toJpeg.apply(col("png")))
              .where(col("jpg").isNotNull())
              .select(col("__key__"), col("jpg"), col("cls"));
      train
          .write()
          .format("ais")
          .option("layout", "webdataset")
          .option("maxSamplesPerShard", "16")
          .mode("overwrite")
          .save("ais://" + BUCKET + "/train/");
      System.out.println(
          "3. decoded, filtered, converted to 16x16 grayscale JPEG, and wrote ais://"
              + BUCKET
              + "/train/");

      Dataset<Row> check =
          spark
              .read()
              .format("ais")
              .option("layout", "webdataset")
              .load("ais://" + BUCKET + "/train/");
      List<Row> rows = check.collectAsList();
      for (Row r : rows) {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream((byte[]) r.getAs("jpg")));
        if (image == null || image.getWidth() != 16 || image.getHeight() != 16) {
          throw new IllegalStateException("sample " + r.getAs("__key__") + " is not a 16x16 JPEG");
        }
      }
      System.out.printf(
          "4. read back %d training samples in %d shards; every one a 16x16 JPEG with its class%n",
          rows.size(), check.select("__url__").distinct().count());
      check
          .withColumn("cls", col("cls").cast("string"))
          .groupBy("cls")
          .count()
          .orderBy("cls")
          .show();
      System.out.println("Quickstart finished: AIS -> Spark -> AIS round trip verified.");
    } finally {
      spark.stop();
    }
  }

  /**
   * IMAGES small PNGs with a shape per class; every tenth is corrupt, as real datasets have some.
   */
  private static List<Row> labelledImages() throws IOException {
    Random random = new Random(42);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      int cls = i % LABELS.length;
      byte[] png =
          i % 10 == 9
              ? "not a png".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
              : png(cls, random);
      rows.add(RowFactory.create(String.format("%s/%05d", LABELS[cls], i), png, cls));
    }
    return rows;
  }

  private static byte[] png(int cls, Random random) throws IOException {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(random.nextInt(0xFFFFFF)));
    g.fillRect(0, 0, 32, 32);
    g.setColor(new Color(random.nextInt(0xFFFFFF)));
    if (cls == 0) {
      g.fillOval(8, 8, 16, 16);
    } else if (cls == 1) {
      g.fillRect(8, 8, 16, 16);
    } else {
      g.fillRect(0, 12, 32, 8);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** The image as a 16x16 grayscale JPEG, or null when it does not decode. */
  static byte[] grayscaleJpeg(byte[] encoded) {
    try {
      BufferedImage image =
          encoded == null ? null : ImageIO.read(new ByteArrayInputStream(encoded));
      if (image == null) {
        return null;
      }
      BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = gray.createGraphics();
      g.drawImage(image, 0, 0, 16, 16, null);
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(gray, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
