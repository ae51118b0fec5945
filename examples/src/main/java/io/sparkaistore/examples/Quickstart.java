package io.sparkaistore.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The quickstart: uploads a small labelled image dataset to AIS, then reads it in Spark with
 * {@code format("ais")}, decodes and checks every image, and summarises it per label.
 *
 * <p>Run it with {@code scripts/quickstart}, which starts a local AIS when {@code AIS_ENDPOINT} is unset.
 */
public final class Quickstart {
  private static final String BUCKET = "spark-aistore-quickstart";
  private static final String[] LABELS = {"cat", "dog", "bird"};
  private static final int IMAGES_PER_LABEL = 8;

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    AisClientConfig config = AisClientConfig.fromEnvironment().build();
    AisClient ais = AisClient.create(config);
    AisBucket bucket = AisBucket.ais(BUCKET);
    int uploaded = uploadDataset(ais, bucket);
    System.out.printf("1. uploaded %d PNG images (%d labels) to %s/train/ at %s%n",
        uploaded, LABELS.length, bucket, config.endpoint());

    SparkSession spark = SparkSession.builder().appName("spark-aistore quickstart").master("local[2]")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Dataset<Row> images = spark.read().format("ais").load("ais://" + BUCKET + "/train/")
          .withColumn("label", regexp_extract(col("name"), "^train/([^/]+)/", 1));
      System.out.printf("2. counted %d objects from one listing, without downloading any%n",
          images.count());

      long decodable = images.filter((FilterFunction<Row>) r -> decodes(r.getAs("content"))).count();
      System.out.printf("3. read and decoded %d of %d images in Spark%n", decodable, uploaded);

      System.out.println("4. per label:");
      images.groupBy("label").agg(count("*").as("images"), sum("size").as("bytes"))
          .orderBy("label").show(false);
      if (decodable != uploaded) {
        throw new IllegalStateException("expected " + uploaded + " decodable images, read " + decodable);
      }
      System.out.println("Quickstart finished: AIS -> Spark round trip verified.");
    } finally {
      spark.stop();
    }
  }

  /** Recreates the bucket with IMAGES_PER_LABEL small PNGs per label under train/<label>/. */
  private static int uploadDataset(AisClient ais, AisBucket bucket) throws IOException {
    if (ais.bucketExists(bucket)) {
      ais.destroyBucket(bucket);
    }
    ais.createBucket(bucket);
    Random random = new Random(42);
    int n = 0;
    for (String label : LABELS) {
      for (int i = 0; i < IMAGES_PER_LABEL; i++) {
        ais.put(bucket, String.format("train/%s/%04d.png", label, i), png(random));
        n++;
      }
    }
    List<ObjectEntry> listed = ais.listObjects(bucket, ListOptions.prefix("train/"));
    if (listed.size() != n) {
      throw new IllegalStateException("uploaded " + n + " images but AIS lists " + listed.size());
    }
    return n;
  }

  private static byte[] png(Random random) throws IOException {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(random.nextInt(0xFFFFFF)));
    g.fillRect(0, 0, 32, 32);
    g.setColor(new Color(random.nextInt(0xFFFFFF)));
    g.fillOval(random.nextInt(16), random.nextInt(16), 16, 16);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static boolean decodes(byte[] bytes) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    return image != null && image.getWidth() == 32 && image.getHeight() == 32;
  }
}
