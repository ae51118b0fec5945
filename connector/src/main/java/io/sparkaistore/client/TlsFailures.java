package io.sparkaistore.client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Turns the TLS failures that no retry can fix (an untrusted certificate, a refused client
 * certificate, the wrong scheme for the port) into {@link AisException}s that say how to fix them.
 * {@link HttpTransport} does not retry an {@code AisException} raised while sending.
 */
final class TlsFailures {
  static final String HOW_TO_TRUST =
      "trust the cluster's CA with the option tlsCaCert=<PEM file> or the "
          + "environment variable AIS_CLIENT_CA=<PEM file>, and use a host name or IP address the certificate names; "
          + "or, for testing only, turn verification off with tlsSkipVerify=true or AIS_SKIP_VERIFY_CRT=true";
  static final String HOW_TO_PRESENT =
      "the cluster requires a client certificate it trusts (mutual TLS): give "
          + "one with the options tlsClientCert and tlsClientKey or the environment variables AIS_CRT and AIS_CRT_KEY";
  // What Go's HTTPS server writes, headers and all, to a client that speaks plain HTTP to it.
  private static final String GO_HTTPS_ANSWER = "Client sent an HTTP request to an HTTPS server";
  // TLS alerts by which a server refuses the client's certificate, or the lack of one.
  private static final String[] CLIENT_CERT_ALERTS = {
    "bad_certificate", "certificate_required", "unknown_ca", "certificate_unknown"
  };

  private TlsFailures() {}

  /**
   * What to do about {@code e}, raised by the exchange with {@code target}; null if a retry might
   * help.
   */
  static AisException explain(SSLException e, AisRequest req, URI target) {
    String where = target.getHost() + ":" + target.getPort();
    String message = String.valueOf(e.getMessage());
    String advice;
    if (hasCause(e, CertificateException.class)) {
      advice =
          "the certificate of " + where + " was not accepted (" + message + "): " + HOW_TO_TRUST;
    } else if (message.contains("nrecognized SSL message")) {
      advice =
          where
              + " answered in plain HTTP, not TLS: the endpoint speaks HTTP: use "
              + withScheme(target, "http");
    } else if (isClientCertAlert(message)) {
      advice = where + " refused the TLS handshake (" + message + "): " + HOW_TO_PRESENT;
    } else {
      return null;
    }
    return new AisException(req + " failed, not retried: " + advice, req.bucket, req.object, e);
  }

  /**
   * Whether {@code response} is Go's answer to plain HTTP on its HTTPS port (a HEAD gets no body).
   */
  static boolean isHttpsPortAnswer(HttpResponse<InputStream> response, String error) {
    return response.statusCode() == 400
        && "http".equals(response.uri().getScheme())
        && (error.contains(GO_HTTPS_ANSWER) || response.headers().map().isEmpty());
  }

  static AisException httpsPort(AisRequest req, URI target) {
    return new AisException(
        req
            + " failed: "
            + target.getHost()
            + ":"
            + target.getPort()
            + " speaks HTTPS: use "
            + withScheme(target, "https")
            + " as the endpoint",
        req.bucket,
        req.object,
        null);
  }

  private static boolean isClientCertAlert(String message) {
    for (String alert : CLIENT_CERT_ALERTS) {
      if (message.contains(alert)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String withScheme(URI target, String scheme) {
    return scheme + "://" + target.getRawAuthority();
  }
}
