package io.hookline.dispatcher.adapter.out.http;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Reads at most {@code limit} bytes of a response body and then stops the exchange (the connection
 * is dropped, not drained; {@link ExcerptFull}), so a receiver that answers with an endless or huge
 * body costs at most {@code limit} bytes of memory and never holds the request beyond the delivery
 * timeout. Remembers the status as soon as the headers arrive, so a response whose body is slow
 * still counts by its status.
 */
final class ExcerptConsumer extends AbstractBinResponseConsumer<DeliveryOutcome> {

  private static final byte[] NONE = new byte[0];
  /** How many body bytes the client may hand over at a time. */
  private static final int CHUNK = 8192;

  private final int limit;
  private volatile int status = -1;
  private volatile String retryAfter;
  /** Grown as the body arrives, up to {@code limit}: most receivers answer with no body at all. */
  private byte[] buffer = NONE;
  private int size;

  ExcerptConsumer(int limit) {
    this.limit = limit;
  }

  /** The status of the response, or -1 while its headers have not arrived. */
  int status() {
    return status;
  }

  /** What was read of the body so far, or null. */
  synchronized String excerptSoFar() {
    return size == 0 ? null : new String(buffer, 0, size, StandardCharsets.UTF_8);
  }

  @Override
  protected void start(HttpResponse response, ContentType contentType) {
    Header header = response.getFirstHeader("Retry-After");
    retryAfter = header == null ? null : header.getValue();
    status = response.getCode();
  }

  /** The response's Retry-After header, or null (none, or headers not arrived yet). */
  String retryAfter() {
    return retryAfter;
  }

  @Override
  protected int capacityIncrement() {
    return CHUNK;
  }

  @Override
  protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
    boolean full;
    synchronized (this) {
      int n = Math.min(src.remaining(), limit - size);
      if (size + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(size + n, 2 * buffer.length)));
      }
      src.get(buffer, size, n);
      size += n;
      full = size >= limit && (src.hasRemaining() || !endOfStream);
    }
    if (full) {
      throw new ExcerptFull();
    }
  }

  @Override
  protected DeliveryOutcome buildResult() {
    return OutcomeClassifier.fromStatus(status, excerptSoFar(), retryAfter);
  }

  @Override
  public void releaseResources() {
    // Nothing held beyond the excerpt, which stays readable.
  }

  /** Ends the exchange once the excerpt is full; the status and excerpt are the outcome. */
  static final class ExcerptFull extends IOException {
    ExcerptFull() {
      super("response excerpt complete", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
