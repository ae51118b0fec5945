package io.sparkaistore.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Any failure talking to AIStore: carries the HTTP status (0 when no response arrived), AIS's own
 * error message parsed from its JSON error body, and the bucket and object involved.
 */
public class AisException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String aisMessage;
  private final String bucket;
  private final String object;

  public AisException(int status, String aisMessage, String bucket, String object, Throwable cause) {
    super(describe(status, aisMessage, bucket, object), cause);
    this.status = status;
    this.aisMessage = aisMessage;
    this.bucket = bucket;
    this.object = object;
  }

  public AisException(String message, String bucket, String object, Throwable cause) {
    this(0, message, bucket, object, cause);
  }

  /**
   * Builds the exception for an error response. AIS answers errors with a JSON body (or, for HEAD, the
   * same JSON in the {@code Hdr-Error} header) whose {@code message} says what went wrong.
   */
  static AisException fromResponse(int status, String errorBody, String bucket, String object) {
    return new AisException(status, parseMessage(status, errorBody), bucket, object, null);
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

  private static String describe(int status, String message, String bucket, String object) {
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

  public boolean isNotFound() {
    return status == 404;
  }
}
