package io.sparkaistore.client;

import java.io.InputStream;
import java.net.http.HttpHeaders;

/**
 * A successful answer: status, headers, the body (read with the configured read timeout), and the
 * node that sent it.
 */
final class AisResponse {
  private final int status;
  private final HttpHeaders headers;
  private final InputStream body;
  private final Hop hop;

  AisResponse(int status, HttpHeaders headers, InputStream body, Hop hop) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.hop = hop;
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

  /** The node that answered: the target, when the gateway redirected. */
  Hop hop() {
    return hop;
  }
}
