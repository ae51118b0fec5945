package io.sparkaistore.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Clients for the test cluster and throw-away buckets with unique names. */
public final class AisTestBuckets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AisTestBuckets() {}

  public static AisClient client() {
    return AisClient.create(AisClientConfig.builder(AisTestCluster.endpoint().toString()).build());
  }

  /** A new, empty ais:// bucket named after the test; destroy it with {@link #destroy}. */
  public static AisBucket create(AisClient client, String purpose) throws AisException {
    String name =
        purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    AisBucket bucket = AisBucket.ais(name);
    client.createBucket(bucket);
    return bucket;
  }

  public static void destroy(AisClient client, AisBucket bucket) throws AisException {
    if (client.bucketExists(bucket)) {
      client.destroyBucket(bucket);
    }
  }

  /** An object name as a URL path: every byte percent-encoded but unreserved characters and '/'. */
  public static String encodePath(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /**
   * PUTs a file with curl, independently of this project's client: curl follows AIS's redirect from
   * the proxy to a target (-L) and sends the body again there.
   */
  public static void curlPut(AisBucket bucket, String name, Path file) throws IOException {
    curl(List.of("-T", file.toString(), objectUrl(bucket, name)));
  }

  /** GETs an object with curl, following the redirect to its target. */
  public static byte[] curlGet(AisBucket bucket, String name) throws IOException {
    return curl(List.of(objectUrl(bucket, name)));
  }

  /**
   * The names under a prefix as AIS lists them, asked with curl (one page: tests list a few
   * objects). Bytes that are not UTF-8 come back as U+FFFD, so a mangled name shows instead of
   * failing the listing.
   */
  public static List<String> curlList(AisBucket bucket, String prefix) throws IOException {
    String body =
        "{\"action\":\"list\",\"value\":{\"prefix\":"
            + JSON.writeValueAsString(prefix)
            + ",\"props\":\"name\"}}";
    byte[] answer =
        curl(
            List.of(
                "-X",
                "GET",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                body,
                AisTestCluster.endpoint() + "/v1/buckets/" + bucket.name() + "?provider=ais"));
    List<String> names = new ArrayList<>();
    JSON.readTree(new String(answer, StandardCharsets.UTF_8))
        .path("entries")
        .forEach(e -> names.add(e.path("name").asText()));
    return names;
  }

  private static String objectUrl(AisBucket bucket, String name) {
    return AisTestCluster.endpoint()
        + "/v1/objects/"
        + bucket.name()
        + "/"
        + encodePath(name)
        + "?provider=ais";
  }

  private static byte[] curl(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "-g", "-L"));
    command.addAll(args);
    return Command.output(command, Map.of(), Duration.ofMinutes(2));
  }
}
