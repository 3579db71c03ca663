package io.hookline.dispatcher.adapter.out.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code limit} bytes of a response body and then cancels the rest of the stream, so
 * a receiver that answers with an endless or huge body costs at most {@code limit} bytes of memory
 * and never holds the request beyond the delivery timeout. Remembers the status as soon as the
 * headers arrive, so a response whose body is slow still counts by its status.
 */
final class ExcerptBodyHandler implements HttpResponse.BodyHandler<String> {

  private final int limit;
  private volatile int status = -1;
  private volatile ExcerptSubscriber subscriber;

  ExcerptBodyHandler(int limit) {
    this.limit = limit;
  }

  @Override
  public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
    status = info.statusCode();
    ExcerptSubscriber s = new ExcerptSubscriber(limit);
    subscriber = s;
    return s;
  }

  /** The status of the response, or -1 while its headers have not arrived. */
  int status() {
    return status;
  }

  /** What was read of the body so far, or null. */
  String excerptSoFar() {
    ExcerptSubscriber s = subscriber;
    return s == null ? null : s.snapshot();
  }

  private static final class ExcerptSubscriber implements HttpResponse.BodySubscriber<String> {

    private static final byte[] NONE = new byte[0];
    private final int limit;
    /** Grown as the body arrives, up to {@code limit}: most receivers answer with no body at all. */
    private byte[] buffer = NONE;
    private int size;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    ExcerptSubscriber(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      boolean full;
      synchronized (this) {
        for (ByteBuffer b : items) {
          int n = Math.min(b.remaining(), limit - size);
          if (size + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(size + n, 2 * buffer.length)));
          }
          b.get(buffer, size, n);
          size += n;
        }
        full = size >= limit;
      }
      if (full) {
        // Enough for the excerpt: stop reading; the connection is dropped, not drained.
        body.complete(snapshot());
        subscription.cancel();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(snapshot());
    }

    synchronized String snapshot() {
      return size == 0 ? null : new String(buffer, 0, size, StandardCharsets.UTF_8);
    }
  }
}
