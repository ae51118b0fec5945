package io.sparkaistore.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One REST call to AIS: method, already-encoded path and query, headers and body, and the bucket
 * and object it concerns (for error messages). Built fluently by {@link AisClient}.
 */
final class AisRequest {
  final String method;
  final String rawPath;
  final Map<String, String> query = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();
  RequestBody body;

  /** A large upload goes to the proxy empty and only to the target it redirects to. */
  boolean deferBodyToRedirect;

  private boolean safeToResend;

  /** Sent again after a lost answer only by the caller, once it has looked at what AIS did. */
  boolean outcomeCheckedBeforeResend;

  String bucket;
  String object;

  private AisRequest(String method, String rawPath) {
    this.method = method;
    this.rawPath = rawPath;
  }

  static AisRequest of(String method, String rawPath) {
    return new AisRequest(method, rawPath);
  }

  AisRequest query(String name, String value) {
    query.put(name, value);
    return this;
  }

  AisRequest header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  AisRequest jsonBody(Object value) {
    try {
      body = RequestBody.of(Json.MAPPER.writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot encode request body " + value, e);
    }
    headers.put("Content-Type", "application/json");
    return this;
  }

  AisRequest body(RequestBody value) {
    body = value;
    return this;
  }

  AisRequest deferBodyToRedirect() {
    deferBodyToRedirect = true;
    return this;
  }

  /**
   * Marks a state-changing request as safe to send again after its answer was lost mid-way: sending
   * it twice must leave AIS as sending it once did.
   */
  AisRequest safeToResend() {
    safeToResend = true;
    return this;
  }

  /**
   * Marks a request that must not reach AIS twice while the first may still be at work: after a
   * connection that broke once the request may have been sent, the transport gives up (status 0)
   * and the caller checks the outcome before it sends the request again.
   */
  AisRequest outcomeCheckedBeforeResend() {
    outcomeCheckedBeforeResend = true;
    return this;
  }

  /**
   * Whether the request may be sent again when its answer breaks off: reads may; a request that
   * changes state only when marked {@link #safeToResend()}, since the lost answer may hide that it
   * took effect.
   */
  boolean resendable() {
    return safeToResend || "GET".equals(method) || "HEAD".equals(method);
  }

  AisRequest about(AisBucket b, String obj) {
    bucket = b == null ? null : b.toString();
    object = obj;
    if (b != null) {
      query.put("provider", b.provider().apiName());
    }
    return this;
  }

  String rawQuery() {
    StringJoiner out = new StringJoiner("&");
    query.forEach((k, v) -> out.add(UrlEncoding.component(k) + "=" + UrlEncoding.component(v)));
    return out.toString();
  }

  @Override
  public String toString() {
    return method + " " + rawPath;
  }

  /** Percent-encoding of URL parts, RFC 3986 style: only unreserved characters stay literal. */
  static final class UrlEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlEncoding() {}

    /** Encodes one path segment or query component; {@code /} is encoded too. */
    static String component(String s) {
      return encode(s, false);
    }

    /** Encodes an object name as a path, keeping its {@code /} separators. */
    static String path(String s) {
      return encode(s, true);
    }

    private static String encode(String s, boolean keepSlash) {
      StringBuilder out = new StringBuilder(s.length() + 8);
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if (isUnreserved(c) || (keepSlash && c == '/')) {
          out.append((char) c);
        } else {
          out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      }
      return out.toString();
    }

    private static boolean isUnreserved(int c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~';
    }
  }
}
