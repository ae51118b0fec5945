package io.sparkaistore.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AIStore's native REST API, as the connector needs it: cluster, buckets, listing, objects,
 * GetBatch and parallel range reads. Thread-safe; cheap to create (connections are pooled per JVM).
 * Knows HTTP and AIS, nothing of Spark.
 */
public final class AisClient {
  // The layout AIS's list-objects formats access times in (a Go time layout): RFC 3339,
  // nanoseconds.
  private static final String LIST_TIME_FORMAT = "2006-01-02T15:04:05.000000000Z07:00";

  /** A part number in AIS's ListParts answer. */
  private static final Pattern PART_NUMBER =
      Pattern.compile("<PartNumber>\\s*(\\d{1,9})\\s*</PartNumber>");

  private static final ExecutorService RANGE_POOL =
      Executors.newCachedThreadPool(daemonThreads("ais-range"));

  private final HttpTransport transport;
  private final WhatAisDid whatAisDid = new WhatAisDid(this);

  private AisClient(HttpTransport transport) {
    this.transport = transport;
  }

  public static AisClient create(AisClientConfig config) {
    return new AisClient(new HttpTransport(config, new ClientStats()));
  }

  public AisClientConfig config() {
    return transport.config();
  }

  public ClientStats stats() {
    return transport.stats();
  }

  HttpTransport transport() {
    return transport;
  }

  // --- cluster ---

  /**
   * Whether the gateway answers its health probe with 200, at the first attempt: a probe does not
   * wait.
   */
  public boolean isHealthy() {
    try {
      transport.sendForBytes(AisRequest.of("GET", "/v1/health"), transport.singleAttempt());
      return true;
    } catch (AisException e) {
      return false;
    }
  }

  public ClusterMap clusterMap() throws AisException {
    return ClusterMap.fromJson(json(AisRequest.of("GET", "/v1/daemon").query("what", "smap")));
  }

  // --- buckets ---

  /** Creates an ais:// bucket; fails with status 409 when it exists. */
  public void createBucket(AisBucket bucket) throws AisException {
    transport.sendForBytes(bucketRequest("POST", bucket).jsonBody(Map.of("action", "create-bck")));
  }

  /** Destroys a bucket and every object in it. */
  public void destroyBucket(AisBucket bucket) throws AisException {
    transport.sendForBytes(
        bucketRequest("DELETE", bucket).jsonBody(Map.of("action", "destroy-bck")));
  }

  public boolean bucketExists(AisBucket bucket) throws AisException {
    try {
      transport.sendForBytes(bucketRequest("HEAD", bucket));
      return true;
    } catch (AisException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Fails unless the bucket of {@code path} exists, so that a mistake surfaces before any work:
   * with {@code verb} ("read", "write to") and the endpoint in the message.
   */
  public void requireBucket(AisPath path, String verb) {
    AisBucket bucket = path.bucket();
    try {
      if (!bucketExists(bucket)) {
        throw new IllegalArgumentException(
            "Cannot "
                + verb
                + " "
                + path
                + ": bucket "
                + bucket
                + " does not exist at "
                + config().endpoint());
      }
    } catch (AisException e) {
      throw new UncheckedIOException("Cannot " + verb + " " + path + ": " + e.getMessage(), e);
    }
  }

  /** The buckets of one provider that AIS knows of. */
  public List<AisBucket> listBuckets(Provider provider) throws AisException {
    JsonNode answer =
        json(
            AisRequest.of("GET", "/v1/buckets")
                .query("provider", provider.apiName())
                .jsonBody(Map.of("action", "list")));
    List<AisBucket> out = new ArrayList<>();
    for (JsonNode b : answer) {
      out.add(
          new AisBucket(Provider.fromScheme(b.path("provider").asText()), b.path("name").asText()));
    }
    return out;
  }

  // --- listing ---

  /** Every entry matching {@code options}, all pages, in AIS's order (by name). */
  public List<ObjectEntry> listObjects(AisBucket bucket, ListOptions options) throws AisException {
    List<ObjectEntry> out = new ArrayList<>();
    for (ObjectLister pages = new ObjectLister(bucket, options); pages.hasNextPage(); ) {
      out.addAll(pages.nextPage());
    }
    return out;
  }

  /** The listing, page by page, for callers that stop early. */
  public ObjectLister lister(AisBucket bucket, ListOptions options) {
    return new ObjectLister(bucket, options);
  }

  /**
   * A paginated listing: AIS returns a listing UUID and a continuation token to echo until empty.
   */
  public final class ObjectLister {
    private final AisBucket bucket;
    private final ListOptions options;
    private String uuid = "";
    private String token = "";
    private boolean done;

    private ObjectLister(AisBucket bucket, ListOptions options) {
      this.bucket = bucket;
      this.options = options;
    }

    public boolean hasNextPage() {
      return !done;
    }

    public List<ObjectEntry> nextPage() throws AisException {
      if (done) {
        throw new NoSuchElementException("the listing of " + bucket + " is complete");
      }
      ObjectNode msg = Json.MAPPER.createObjectNode();
      msg.put("uuid", uuid).put("continuation_token", token).put("prefix", options.prefix());
      msg.put("props", options.props()).put("pagesize", options.pageSize());
      msg.put("flags", String.valueOf(options.flags())); // AIS decodes flags from a JSON string
      msg.put("time_format", LIST_TIME_FORMAT);
      ObjectNode action = Json.MAPPER.createObjectNode().put("action", "list");
      action.set("value", msg);
      JsonNode page = json(bucketRequest("GET", bucket).jsonBody(action));
      uuid = page.path("uuid").asText("");
      token = page.path("continuation_token").asText("");
      done = token.isEmpty();
      List<ObjectEntry> entries = new ArrayList<>();
      for (JsonNode e : page.path("entries")) {
        entries.add(toEntry(e));
      }
      return entries;
    }
  }

  private static ObjectEntry toEntry(JsonNode e) {
    return new ObjectEntry(
        e.path("name").asText(),
        Long.parseLong(e.path("size").asText("0")), // a JSON string in AIS's wire format
        textOrNull(e, "checksum"),
        textOrNull(e, "version"),
        instantOrNull(textOrNull(e, "atime")),
        textOrNull(e, "location"),
        e.path("flags").asInt(0));
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  private static Instant instantOrNull(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null; // a node that ignored the requested format; the time is optional
    }
  }

  // --- objects ---

  public ObjectProps headObject(AisBucket bucket, String object) throws AisException {
    AisResponse response = transport.send(objectRequest("HEAD", bucket, object));
    HttpTransport.closeQuietly(response.body());
    return ObjectProps.fromHeaders(
        response.headers(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  /** Streams the whole object; a broken connection is resumed from the next unread byte. */
  public ObjectReadStream get(AisBucket bucket, String object) throws AisException {
    return ObjectReadStream.open(this, bucket, object, 0, -1, null);
  }

  /**
   * Streams a listed object. A 404 from a target other than the one the listing placed it on is
   * retried within the retry budget: AIS answers so while that target is out of the cluster map.
   */
  public ObjectReadStream get(AisBucket bucket, ObjectEntry listed) throws AisException {
    return ObjectReadStream.open(this, bucket, listed.name(), 0, -1, listed.targetId());
  }

  /** Streams {@code length} bytes from {@code offset} (to the end when {@code length} is -1). */
  public ObjectReadStream get(AisBucket bucket, String object, long offset, long length)
      throws AisException {
    return ObjectReadStream.open(this, bucket, object, offset, length, null);
  }

  /** Streams the object as transformed by AIS's inline {@code etl}; not resumable. */
  public ObjectReadStream get(AisBucket bucket, String object, Etl etl) throws AisException {
    return ObjectReadStream.openTransformed(this, bucket, object, etl);
  }

  public byte[] getBytes(AisBucket bucket, String object) throws IOException {
    try (InputStream in = get(bucket, object)) {
      return in.readAllBytes();
    }
  }

  /**
   * Bytes {@code offset} to {@code offset + length} (exclusive) of a listed object, resumed where a
   * connection breaks; a 404 from a target other than the listed one is retried as by {@link
   * #get(AisBucket, ObjectEntry)}. {@link ObjectReadStream#props()} describes the whole object.
   */
  public ObjectReadStream getRange(AisBucket bucket, ObjectEntry listed, long offset, long length)
      throws AisException {
    return ObjectReadStream.open(this, bucket, listed.name(), offset, length, listed.targetId());
  }

  /**
   * Reads an object of known {@code size} as {@code threads} concurrent range requests of {@code
   * chunkSize} bytes, delivered in order; memory stays within {@code threads * chunkSize}.
   */
  public InputStream getParallel(
      AisBucket bucket, String object, long size, int threads, int chunkSize) {
    return new ParallelRangeStream(
        this, bucket, object, null, size, threads, chunkSize, RANGE_POOL);
  }

  /**
   * As {@link #getParallel(AisBucket, String, long, int, int)}, for a listed object: a 404 from a
   * target other than the listed one is retried as by {@link #get(AisBucket, ObjectEntry)}.
   */
  public InputStream getParallel(AisBucket bucket, ObjectEntry listed, int threads, int chunkSize) {
    return new ParallelRangeStream(
        this,
        bucket,
        listed.name(),
        listed.targetId(),
        listed.size(),
        threads,
        chunkSize,
        RANGE_POOL);
  }

  /**
   * Writes an object; the body goes only to the target AIS redirects to, never twice. When no
   * answer came back, the PUT counts as done if AIS holds exactly the body's bytes (a body that can
   * be read again is compared; a stream cannot be).
   */
  public ObjectProps put(AisBucket bucket, String object, RequestBody body) throws AisException {
    try {
      return send(
          objectRequest("PUT", bucket, object).body(body).deferBodyToRedirect(), body.length());
    } catch (AisException e) {
      if (e.status() != 0 || !whatAisDid.stored(bucket, object, body)) {
        throw e;
      }
      return headObject(bucket, object);
    }
  }

  private ObjectProps send(AisRequest request, long size) throws AisException {
    AisResponse response = transport.send(request);
    HttpTransport.closeQuietly(response.body());
    return ObjectProps.fromHeaders(response.headers(), size);
  }

  public ObjectProps put(AisBucket bucket, String object, byte[] content) throws AisException {
    return put(bucket, object, RequestBody.of(content));
  }

  /**
   * Deletes an object. Done means the object is not there afterwards: one already gone, or deleted
   * by an attempt whose answer was lost, is fine.
   */
  public void delete(AisBucket bucket, String object) throws AisException {
    try {
      transport.sendForBytes(objectRequest("DELETE", bucket, object));
    } catch (AisException e) {
      if (!e.isNotFound() && !(e.status() == 0 && whatAisDid.gone(bucket, object))) {
        throw e;
      }
    }
  }

  /**
   * Renames an object within its bucket (ais:// buckets). The new name shows the whole object or
   * nothing: AIS copies it in full before it is visible, then removes the old name. A name that AIS
   * 5.0's rename would not keep ({@link ObjectNames#renameKeeps}) is copied through this client and
   * the old name deleted instead. The source is looked at first: after a lost answer (a retry then
   * finds no source) the rename counts as done when the new name holds the source's size and
   * checksum and the old name is gone; and a rename AIS calls done must leave exactly that under
   * the new name.
   */
  public void rename(AisBucket bucket, String object, String newName) throws AisException {
    if (!ObjectNames.renameKeeps(newName)) {
      copy(bucket, object, newName);
      delete(bucket, object);
      return;
    }
    ObjectProps source = headObject(bucket, object);
    try {
      transport.sendForBytes(
          objectRequest("POST", bucket, object)
              .jsonBody(Map.of("action", "rename-obj", "name", newName)));
    } catch (AisException e) {
      if (!WhatAisDid.isOpen(e)
          || !WhatAisDid.eventually(() -> whatAisDid.renamed(bucket, object, newName, source))) {
        throw e;
      }
      return;
    }
    requireHeld(
        bucket,
        newName,
        source,
        object + " renamed to " + newName,
        " (AIS 5.0 answers so when the new name is a directory on its target, which it stays after"
            + " the objects under it are deleted)");
  }

  /**
   * Copies an object within its bucket by streaming it through this client (a GET into a PUT), for
   * names that a rename would not keep. The PUT carries the source's checksum, so AIS refuses a
   * copy whose bytes differ, and the new name must then hold the source's size and checksum; after
   * a lost answer, the copy counts as done when it does.
   */
  public void copy(AisBucket bucket, String object, String newName) throws AisException {
    ObjectProps source = null;
    try (ObjectReadStream in = get(bucket, object)) {
      source = in.props();
      AisRequest put =
          objectRequest("PUT", bucket, newName)
              .body(RequestBody.ofStream(in, source.size()))
              .deferBodyToRedirect();
      if (source.checksum() != null && source.checksumType() != null) {
        put.header("Ais-Checksum-Type", source.checksumType())
            .header("Ais-Checksum-Value", source.checksum());
      }
      send(put, source.size());
    } catch (AisException e) {
      if (source == null || e.status() != 0 || !whatAisDid.copied(bucket, newName, source)) {
        throw e;
      }
      return;
    }
    requireHeld(bucket, newName, source, object + " copied to " + newName, "");
  }

  /**
   * Checks that {@code newName} holds the source's bytes after AIS reported {@code done}; fails
   * saying so, and {@code why} it may not, when it does not.
   */
  private void requireHeld(
      AisBucket bucket, String newName, ObjectProps source, String done, String why)
      throws AisException {
    if (!whatAisDid.copied(bucket, newName, source)) {
      throw new AisException(
          "AIS reported "
              + done
              + ", but "
              + newName
              + " does not hold its "
              + source.size()
              + " bytes"
              + why,
          bucket.toString(),
          newName,
          null);
    }
  }

  // --- multipart upload ---

  /**
   * Starts a multipart upload; the object stays invisible until {@link #completeMultipartUpload}.
   */
  public String startMultipartUpload(AisBucket bucket, String object) throws AisException {
    // Safe to send again: a start whose answer was lost only leaves an upload with no parts, never
    // used.
    byte[] id =
        transport.sendForBytes(
            objectRequest("POST", bucket, object)
                .jsonBody(Map.of("action", "mpt-upload"))
                .safeToResend());
    return new String(id, StandardCharsets.UTF_8).strip();
  }

  /**
   * Uploads part {@code partNumber} (from 1); parts in memory are retried like any request, except
   * that a part whose answer was lost is sent again only when AIS does not list it: AIS 5.0 loses a
   * part that is stored twice (the second copy lands on the first one's file, which is then removed
   * as the replaced copy): the completion then fails, or succeeds with an object whose reads break.
   */
  public void uploadPart(
      AisBucket bucket, String object, String uploadId, int partNumber, RequestBody part)
      throws AisException {
    AisRequest req =
        objectRequest("PUT", bucket, object)
            .query("uploadId", uploadId)
            .query("partNumber", String.valueOf(partNumber))
            .body(part)
            .deferBodyToRedirect()
            .outcomeCheckedBeforeResend();
    RetryBudget budget = transport.newBudget();
    while (true) {
      try {
        HttpTransport.closeQuietly(transport.send(req, budget).body());
        return;
      } catch (AisException e) {
        if (e.status() != 0 || !part.replayable()) {
          throw e;
        }
        try {
          if (WhatAisDid.eventually(
              () -> whatAisDid.partStored(bucket, object, uploadId, partNumber))) {
            return;
          }
        } catch (AisException checkFailed) {
          e.addSuppressed(checkFailed);
          throw e;
        }
        if (!transport.awaitRetry(req, budget)) {
          throw e;
        }
      }
    }
  }

  /**
   * The part numbers AIS holds for a multipart upload not yet completed (S3 ListParts: AIS has no
   * native call). AIS 5.0 lists every part in one answer, without S3's paging, and fails the call
   * when a part below the highest is missing, which then fails the upload rather than resending.
   */
  Set<Integer> storedParts(AisBucket bucket, String object, String uploadId) throws AisException {
    String path =
        "/s3/"
            + AisRequest.UrlEncoding.component(bucket.name())
            + "/"
            + AisRequest.UrlEncoding.path(object);
    byte[] xml =
        transport.sendForBytes(
            AisRequest.of("GET", path).about(bucket, object).query("uploadId", uploadId));
    Set<Integer> parts = new TreeSet<>();
    // The answer is AIS's own small ListPartsResult; a part number is all that is read from it.
    Matcher m = PART_NUMBER.matcher(new String(xml, StandardCharsets.UTF_8));
    while (m.find()) {
      parts.add(Integer.parseInt(m.group(1)));
    }
    return parts;
  }

  /**
   * Makes the object of parts 1..{@code parts}, {@code size} bytes in all, visible, whole, under
   * its name, and checks that it is there with {@code size} bytes. After a lost answer (a retry
   * then finds the upload gone) the completion counts as done when it is.
   */
  public void completeMultipartUpload(
      AisBucket bucket, String object, String uploadId, int parts, long size) throws AisException {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (int i = 1; i <= parts; i++) {
      list.addObject().put("part-number", i).put("etag", "");
    }
    ObjectNode msg = Json.MAPPER.createObjectNode().put("action", "mpt-complete");
    msg.set("value", list);
    try {
      transport.sendForBytes(
          objectRequest("POST", bucket, object).query("uploadId", uploadId).jsonBody(msg));
    } catch (AisException e) {
      if (!WhatAisDid.isOpen(e)
          || !WhatAisDid.eventually(() -> whatAisDid.completed(bucket, object, size))) {
        throw e;
      }
      return;
    }
    if (!whatAisDid.completed(bucket, object, size)) {
      throw new AisException(
          "AIS reported the upload "
              + uploadId
              + " complete, but "
              + object
              + " is not there "
              + "with its "
              + size
              + " bytes",
          bucket.toString(),
          object,
          null);
    }
  }

  /**
   * Abandons a multipart upload and its parts; an upload already gone (abandoned or completed) is
   * fine.
   */
  public void abortMultipartUpload(AisBucket bucket, String object, String uploadId)
      throws AisException {
    try {
      transport.sendForBytes(
          objectRequest("DELETE", bucket, object)
              .query("uploadId", uploadId)
              .jsonBody(Map.of("action", "mpt-abort")));
    } catch (AisException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /**
   * A stream that uploads what is written to it as one object, holding at most two parts of {@code
   * partSize} bytes: a small object is one PUT on close, a large one a multipart upload completed
   * on close.
   */
  public MultipartOutputStream openUpload(AisBucket bucket, String object, int partSize) {
    return new MultipartOutputStream(this, bucket, object, partSize, false);
  }

  /**
   * Like {@link #openUpload}, but the multipart upload is left pending on close: the object appears
   * only when {@link #completeMultipartUpload} is called with the stream's upload id and parts.
   */
  public MultipartOutputStream openPendingUpload(AisBucket bucket, String object, int partSize) {
    return new MultipartOutputStream(this, bucket, object, partSize, true);
  }

  /**
   * Fetches many objects in one request (AIS's GetBatch). The answer streams back in request order;
   * a missing item is reported as missing. An answer that breaks off is resumed with a GetBatch of
   * the items not yet delivered.
   */
  public BatchReader getBatch(List<BatchItem> items) throws AisException {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("GetBatch needs at least one item");
    }
    return BatchReader.open(List.copyOf(items), transport, AisClient::batchRequest);
  }

  private static AisRequest batchRequest(List<BatchItem> items) {
    ArrayNode in = Json.MAPPER.createArrayNode();
    for (BatchItem item : items) {
      in.addObject()
          .put("objname", item.object())
          .put("bucket", item.bucket().name())
          .put("provider", item.bucket().provider().apiName());
    }
    ObjectNode request = Json.MAPPER.createObjectNode().put("mime", ".tar");
    request.set("in", in);
    // coer: report missing items in the stream instead of failing the whole batch;
    // strm: stream the archive as it is assembled rather than buffering it on the target.
    request.put("coer", true).put("strm", true);
    return AisRequest.of("GET", "/v1/ml/moss").jsonBody(request);
  }

  // --- requests ---

  AisRequest objectGet(AisBucket bucket, String object) {
    return objectRequest("GET", bucket, object);
  }

  private static AisRequest objectRequest(String method, AisBucket bucket, String object) {
    if (object == null || object.isEmpty()) {
      throw new IllegalArgumentException("Object name is empty (bucket " + bucket + ")");
    }
    String path =
        "/v1/objects/"
            + AisRequest.UrlEncoding.component(bucket.name())
            + "/"
            + AisRequest.UrlEncoding.path(object);
    return AisRequest.of(method, path).about(bucket, object);
  }

  private static AisRequest bucketRequest(String method, AisBucket bucket) {
    return AisRequest.of(method, "/v1/buckets/" + AisRequest.UrlEncoding.component(bucket.name()))
        .about(bucket, null);
  }

  private JsonNode json(AisRequest request) throws AisException {
    byte[] body = transport.sendForBytes(request);
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new AisException(
          "Unreadable JSON answer to " + request + ": " + e.getMessage(),
          request.bucket,
          request.object,
          e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
