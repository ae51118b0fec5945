package io.sparkaistore.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The content of an upload. Bytes and files can be sent again, so an upload of them is retried like
 * any request; a plain stream can be sent once, so its upload fails on the first error after the
 * stream was handed to AIS.
 */
public abstract class RequestBody {
  private RequestBody() {}

  /** A body held in memory. */
  public static RequestBody of(byte[] bytes) {
    return of(bytes, bytes.length);
  }

  /**
   * The first {@code length} bytes of {@code bytes}, which must not change until the request is
   * done.
   */
  public static RequestBody of(byte[] bytes, int length) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(0, length, bytes.length);
    return new RequestBody() {
      @Override
      BodyPublisher publisher() {
        return BodyPublishers.ofByteArray(bytes, 0, length);
      }

      @Override
      boolean replayable() {
        return true;
      }

      @Override
      long length() {
        return length;
      }

      @Override
      InputStream open() {
        return new ByteArrayInputStream(bytes, 0, length);
      }
    };
  }

  /** A body read from a file, again on each attempt. */
  public static RequestBody ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    return new RequestBody() {
      @Override
      BodyPublisher publisher() {
        try {
          return BodyPublishers.ofFile(file);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read upload source " + file, e);
        }
      }

      @Override
      boolean replayable() {
        return true;
      }

      @Override
      long length() {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read upload source " + file, e);
        }
      }

      @Override
      InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }

  /**
   * A body streamed from {@code in}, sent once. With {@code length >= 0} it is sent with that
   * {@code Content-Length}; with {@code -1} it is sent chunked.
   */
  public static RequestBody ofStream(InputStream in, long length) {
    Objects.requireNonNull(in, "in");
    if (length < -1) {
      throw new IllegalArgumentException("length must be -1 (unknown) or >= 0, got " + length);
    }
    return new RequestBody() {
      @Override
      BodyPublisher publisher() {
        if (length == 0) {
          return BodyPublishers.noBody();
        }
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> in);
        return length < 0 ? chunked : BodyPublishers.fromPublisher(chunked, length);
      }

      @Override
      boolean replayable() {
        return false;
      }

      @Override
      long length() {
        return length;
      }

      @Override
      InputStream open() {
        throw new IllegalStateException("a stream body is read once, by the request");
      }
    };
  }

  abstract BodyPublisher publisher();

  abstract boolean replayable();

  /** The length in bytes, or -1 when unknown. */
  abstract long length();

  /**
   * The body's bytes again, to compare with what AIS holds; only for {@link #replayable()} bodies.
   */
  abstract InputStream open() throws IOException;
}
