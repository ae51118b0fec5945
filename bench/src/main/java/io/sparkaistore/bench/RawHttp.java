package io.sparkaistore.bench;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The practical limits: plain HTTP GETs of whole objects to nowhere, and plain PUTs of the same
 * bytes, at a given parallelism, with the JDK's HTTP client and nothing of the connector on the
 * data path.
 */
final class RawHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  // PUTs take the redirect by hand: the body goes to the target only, as the connector does.
  private static final HttpClient NO_REDIRECTS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private RawHttp() {}

  static URI objectUri(String endpoint, String bucket, String name) {
    String path =
        URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    return URI.create(endpoint + "/v1/objects/" + bucket + "/" + path + "?provider=ais");
  }

  /** GETs every object under the prefix with {@code parallelism} threads, discarding the bytes. */
  static long[] drain(Map<String, String> a) throws Exception {
    AisClient client = Datasets.client(a);
    List<ObjectEntry> objects =
        client.listObjects(AisBucket.ais(a.get("bucket")), ListOptions.prefix(a.get("prefix")));
    long bytes =
        Timing.warmThenTime(
            a,
            () -> {
              AtomicLong drained = new AtomicLong();
              forEach(
                  objects.size(),
                  Integer.parseInt(a.get("parallelism")),
                  i -> {
                    HttpRequest get =
                        HttpRequest.newBuilder(
                                objectUri(
                                    a.get("endpoint"), a.get("bucket"), objects.get(i).name()))
                            .build();
                    try (InputStream in =
                        HTTP.send(get, HttpResponse.BodyHandlers.ofInputStream()).body()) {
                      byte[] buf = new byte[256 << 10];
                      for (int n; (n = in.read(buf)) >= 0; ) {
                        drained.addAndGet(n);
                      }
                    }
                  });
              return drained.get();
            });
    return new long[] {bytes, objects.size()};
  }

  /**
   * PUTs, under {@code target}, objects of the sizes of those under {@code like}: the same bytes
   * our writer uploaded. Each PUT goes to the proxy empty and, redirected, with its body to the
   * target; warm-up runs PUT the same names.
   */
  static long[] put(Map<String, String> a) throws Exception {
    AisClient client = Datasets.client(a);
    List<ObjectEntry> like =
        client.listObjects(AisBucket.ais(a.get("bucket")), ListOptions.prefix(a.get("like")));
    long max = like.stream().mapToLong(ObjectEntry::size).max().orElse(0);
    byte[] content = new byte[(int) max];
    new Random(3).nextBytes(content);
    long bytes =
        Timing.warmThenTime(
            a,
            () -> {
              AtomicLong put = new AtomicLong();
              forEach(
                  like.size(),
                  Integer.parseInt(a.get("parallelism")),
                  i -> {
                    int size = (int) like.get(i).size();
                    URI proxy = objectUri(a.get("endpoint"), a.get("bucket"), a.get("target") + i);
                    HttpResponse<Void> redirect =
                        NO_REDIRECTS.send(
                            HttpRequest.newBuilder(proxy)
                                .PUT(HttpRequest.BodyPublishers.noBody())
                                .build(),
                            HttpResponse.BodyHandlers.discarding());
                    URI target =
                        proxy.resolve(redirect.headers().firstValue("Location").orElseThrow());
                    int status =
                        NO_REDIRECTS
                            .send(
                                HttpRequest.newBuilder(target)
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content, 0, size))
                                    .build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status != 200) {
                      throw new IllegalStateException("PUT answered " + status);
                    }
                    put.addAndGet(size);
                  });
              return put.get();
            });
    return new long[] {bytes, like.size()};
  }

  /**
   * One object read as one GET stream (threads=0) or as parallel range requests, through our
   * client.
   */
  static long[] rangeRead(Map<String, String> a) throws Exception {
    AisClient client = Datasets.client(a);
    AisBucket bucket = AisBucket.ais(a.get("bucket"));
    String object = a.get("object");
    long size = client.headObject(bucket, object).size();
    int threads = Integer.parseInt(a.get("threads"));
    long bytes =
        Timing.warmThenTime(
            a,
            () -> {
              long read = 0;
              try (InputStream in =
                  threads == 0
                      ? client.get(bucket, object)
                      : client.getParallel(
                          bucket, object, size, threads, Integer.parseInt(a.get("chunk")))) {
                byte[] buf = new byte[256 << 10];
                for (int n; (n = in.read(buf)) >= 0; ) {
                  read += n;
                }
              }
              return read;
            });
    return new long[] {bytes, 1};
  }

  interface Step {
    void run(int index) throws Exception;
  }

  /** Runs steps 0..count-1 on {@code threads} threads, each taking the next step as it frees up. */
  static void forEach(int count, int threads, Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                  step.run(i);
                }
                return null;
              }));
    }
    try {
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
