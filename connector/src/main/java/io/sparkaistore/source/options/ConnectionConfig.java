package io.sparkaistore.source.options;

import static io.sparkaistore.source.options.AisOptions.AUTHN_TOKEN;
import static io.sparkaistore.source.options.AisOptions.CONNECT_TIMEOUT;
import static io.sparkaistore.source.options.AisOptions.ENDPOINT;
import static io.sparkaistore.source.options.AisOptions.MAX_ATTEMPTS;
import static io.sparkaistore.source.options.AisOptions.READ_TIMEOUT;
import static io.sparkaistore.source.options.AisOptions.RETRY_BACKOFF;
import static io.sparkaistore.source.options.AisOptions.RETRY_MAX_BACKOFF;
import static io.sparkaistore.source.options.AisOptions.RETRY_TIMEOUT;
import static io.sparkaistore.source.options.AisOptions.TLS_CA_CERT;
import static io.sparkaistore.source.options.AisOptions.TLS_CLIENT_CERT;
import static io.sparkaistore.source.options.AisOptions.TLS_CLIENT_KEY;
import static io.sparkaistore.source.options.AisOptions.TLS_SKIP_VERIFY;

import io.sparkaistore.client.AisClientConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The connection options (endpoint, token, TLS, timeouts, retries) as the {@link AisClientConfig}
 * that reads and writes share. Endpoint, token and TLS settings not given as options come from
 * AIS's environment variables, as AIS's own CLI and SDKs read them.
 */
public final class ConnectionConfig {
  private ConnectionConfig() {}

  /** The client configuration of these options, with the process environment. */
  public static AisClientConfig parse(OptionValues options) {
    return parse(options, System.getenv());
  }

  static AisClientConfig parse(OptionValues options, Map<String, String> env) {
    String endpoint =
        options.present(ENDPOINT)
            ? options.required(ENDPOINT)
            : AisClientConfig.endpointFromEnvironment(env);
    AisClientConfig.Builder client;
    try {
      client = AisClientConfig.builder(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid endpoint (option '"
              + ENDPOINT
              + "' or $"
              + AisClientConfig.ENV_ENDPOINT
              + "): "
              + e.getMessage(),
          e);
    }
    // An explicit token wins; the token file is then never read.
    client.token(
        options.present(AUTHN_TOKEN)
            ? options.required(AUTHN_TOKEN)
            : AisClientConfig.tokenFromEnvironment(env));
    tls(options, env, client);
    Duration backoff = options.get(RETRY_BACKOFF);
    Duration maxBackoff = options.get(RETRY_MAX_BACKOFF);
    if (backoff.compareTo(maxBackoff) > 0) {
      throw AisOption.invalid(
          RETRY_BACKOFF.name(),
          options.given(RETRY_BACKOFF),
          "at most " + RETRY_MAX_BACKOFF + " (" + maxBackoff.toMillis() + "ms)");
    }
    return client
        .connectTimeout(options.get(CONNECT_TIMEOUT))
        .readTimeout(options.get(READ_TIMEOUT))
        .maxAttempts(options.get(MAX_ATTEMPTS))
        .retryTimeout(options.get(RETRY_TIMEOUT))
        .backoff(backoff, maxBackoff)
        .build();
  }

  /**
   * Each TLS setting from its option, else from AIS's environment variable; the certificate and key
   * as a pair.
   */
  private static void tls(
      OptionValues options, Map<String, String> env, AisClientConfig.Builder client) {
    client.tlsCaCert(
        options.present(TLS_CA_CERT)
            ? options.required(TLS_CA_CERT)
            : env.get(AisClientConfig.ENV_CLIENT_CA));
    client.tlsSkipVerify(
        options.get(TLS_SKIP_VERIFY, AisClientConfig.skipVerifyFromEnvironment(env)));
    if (options.present(TLS_CLIENT_CERT) || options.present(TLS_CLIENT_KEY)) {
      client.tlsClientCert(options.get(TLS_CLIENT_CERT), options.get(TLS_CLIENT_KEY));
    } else {
      client.tlsClientCert(
          env.get(AisClientConfig.ENV_CLIENT_CERT), env.get(AisClientConfig.ENV_CLIENT_KEY));
    }
  }
}
