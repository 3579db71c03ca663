package io.hookline.queryapi.live.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscribers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client over the JDK HTTP client, as a browser's EventSource reads a stream:
 * the body line by line as it arrives, parsed into events (id, event name, data, comment).
 */
final class SseClient implements AutoCloseable {

  /** One event as received; a heartbeat has a comment and an id but no data. */
  record Received(String id, String event, String data, String comment) {
    boolean isHeartbeat() {
      return data == null;
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final Duration WAIT = Duration.ofSeconds(30);

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final CompletableFuture<Map<String, List<String>>> headers = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;

  private String id;
  private String event;
  private StringBuilder data;
  private String comment;

  private SseClient() {}

  /** Opens {@code uri} with a bearer token and, unless null, a Last-Event-ID. */
  static SseClient open(URI uri, String token, String lastEventId) {
    SseClient client = new SseClient();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + token).GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HTTP.sendAsync(request.build(), info -> {
      client.status.complete(info.statusCode());
      client.headers.complete(info.headers().map());
      return BodySubscribers.fromLineSubscriber(client.new Lines());
    }).whenComplete((r, e) -> {
      if (e != null) {
        client.status.completeExceptionally(e);
        client.ended.completeExceptionally(e);
      }
    });
    return client;
  }

  int status() throws Exception {
    return status.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  String contentType() throws Exception {
    return headers.get(WAIT.toSeconds(), TimeUnit.SECONDS).getOrDefault("content-type", List.of("")).get(0);
  }

  /** The next event, heartbeats included. */
  Received next() throws InterruptedException {
    Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(r).as("an event within %s", WAIT).isNotNull();
    return r;
  }

  /** The next event that is not a heartbeat. */
  Received nextChange() throws InterruptedException {
    Received r = next();
    while (r.isHeartbeat()) {
      r = next();
    }
    return r;
  }

  /** Whether the server ended the stream within {@code timeout}. */
  boolean endsWithin(Duration timeout) {
    try {
      ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return ended.isDone();
    }
  }

  @Override
  public void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private final class Lines implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (id != null || event != null || data != null || comment != null) {
          received.add(new Received(id, event, data == null ? null : data.toString(), comment));
        }
        id = null;
        event = null;
        data = null;
        comment = null;
      } else if (line.startsWith(":")) {
        comment = line.substring(1).strip();
      } else {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        switch (field) {
          case "id" -> id = value;
          case "event" -> event = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { }
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      ended.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      ended.complete(null);
    }
  }
}
