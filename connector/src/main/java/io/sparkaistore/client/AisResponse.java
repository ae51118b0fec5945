package io.sparkaistore.client;

import java.io.InputStream;
import java.net.http.HttpHeaders;

/** A successful answer: status, headers and the body, read with the configured read timeout. */
final class AisResponse {
  private final int status;
  private final HttpHeaders headers;
  private final InputStream body;

  AisResponse(int status, HttpHeaders headers, InputStream body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  int statusCode() {
    return status;
  }

  HttpHeaders headers() {
    return headers;
  }

  /** The body; the caller closes it. */
  InputStream body() {
    return body;
  }
}
