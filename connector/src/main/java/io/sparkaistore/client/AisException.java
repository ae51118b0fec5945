package io.sparkaistore.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Any failure talking to AIStore: carries the HTTP status (0 when no response arrived), AIS's own
 * error message parsed from its JSON error body, the bucket and object involved, and, when known,
 * the node that answered or failed and the retries made before giving up.
 */
public class AisException extends IOException {
  private static final long serialVersionUID = 2L;

  private final int status;
  private final String aisMessage;
  private final String bucket;
  private final String object;
  private final String where; // "target host:port" or "gateway host:port"
  private final String node;
  private final String aisNodeId;
  private final String retries;

  public AisException(
      int status, String aisMessage, String bucket, String object, Throwable cause) {
    this(status, aisMessage, bucket, object, null, null, null, cause);
  }

  public AisException(String message, String bucket, String object, Throwable cause) {
    this(0, message, bucket, object, cause);
  }

  private AisException(
      int status,
      String aisMessage,
      String bucket,
      String object,
      Hop hop,
      String aisNodeId,
      String retries,
      Throwable cause) {
    this(
        status,
        aisMessage,
        null,
        bucket,
        object,
        hop == null ? null : hop.toString(),
        hop == null ? null : hop.authority(),
        aisNodeId,
        retries,
        cause);
  }

  private AisException(
      int status,
      String aisMessage,
      String doing,
      String bucket,
      String object,
      String where,
      String node,
      String aisNodeId,
      String retries,
      Throwable cause) {
    super(
        describe(
            status,
            doing == null ? aisMessage : doing + ": " + aisMessage,
            bucket,
            object,
            where,
            retries),
        cause);
    this.status = status;
    this.aisMessage = aisMessage;
    this.bucket = bucket;
    this.object = object;
    this.where = where;
    this.node = node;
    this.aisNodeId = aisNodeId;
    this.retries = retries;
  }

  /**
   * Builds the exception for an error response. AIS answers errors with a JSON body (or, for HEAD,
   * the same JSON in the {@code Hdr-Error} header) whose {@code message} says what went wrong.
   */
  static AisException fromResponse(int status, String errorBody, String bucket, String object) {
    return fromResponse(status, errorBody, bucket, object, null, null);
  }

  /**
   * As {@link #fromResponse(int, String, String, String)}, from {@code hop}, after the retries
   * said.
   */
  static AisException fromResponse(
      int status, String errorBody, String bucket, String object, Hop hop, String retries) {
    return new AisException(
        status,
        parseMessage(status, errorBody),
        bucket,
        object,
        hop,
        parseNodeId(errorBody),
        retries,
        null);
  }

  /**
   * A failure with no answer from AIS (or none to report), at {@code hop}, after the retries said.
   */
  static AisException failed(
      String message, String bucket, String object, Hop hop, String retries, Throwable cause) {
    return new AisException(0, message, bucket, object, hop, null, retries, cause);
  }

  static String parseMessage(int status, String errorBody) {
    if (errorBody == null || errorBody.isBlank()) {
      return "HTTP " + status + " with no error message";
    }
    try {
      JsonNode message = Json.MAPPER.readTree(errorBody).path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (IOException notJson) {
      // Not every error comes from AIS itself (a load balancer, a proxy): keep the raw text.
    }
    String text = errorBody.strip();
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  /** The ID of the node in AIS's JSON error ({@code "node": "t[ID]"}), or null. */
  static String parseNodeId(String errorBody) {
    if (errorBody == null || !errorBody.startsWith("{")) {
      return null;
    }
    try {
      String node = Json.MAPPER.readTree(errorBody).path("node").asText("");
      int open = node.indexOf('[');
      return open >= 0 && node.endsWith("]") ? node.substring(open + 1, node.length() - 1) : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * The same failure, its message led by what was being done (e.g. {@code "The read broke at byte 5
   * of 9"}); this one is its cause.
   */
  AisException during(String doing) {
    return new AisException(
        status, aisMessage, doing, bucket, object, where, node, aisNodeId, retries, this);
  }

  static String describe(
      int status, String message, String bucket, String object, String where, String retries) {
    StringBuilder out = new StringBuilder();
    if (status > 0) {
      out.append("AIS error ").append(status);
    } else {
      out.append("AIS request failed");
    }
    if (bucket != null) {
      out.append(" on ").append(bucket);
      if (object != null) {
        out.append('/').append(object);
      }
    }
    if (where != null) {
      out.append(" at ").append(where);
    }
    if (retries != null) {
      out.append(" (").append(retries).append(')');
    }
    return out.append(": ").append(message).toString();
  }

  /** The HTTP status of AIS's answer, or 0 when the request failed before any answer. */
  public int status() {
    return status;
  }

  /** AIS's own error message (from its JSON error body), or a description of the local failure. */
  public String aisMessage() {
    return aisMessage;
  }

  /** The bucket involved, as {@code provider://name}, or null for cluster-wide requests. */
  public String bucket() {
    return bucket;
  }

  /** The object involved, or null. */
  public String object() {
    return object;
  }

  /**
   * The {@code host:port} of the node that answered or failed (a target after a redirect), or null.
   */
  public String node() {
    return node;
  }

  /** The AIS ID of the node that answered, from its error message, or null. */
  public String aisNodeId() {
    return aisNodeId;
  }

  public boolean isNotFound() {
    return status == 404;
  }
}
