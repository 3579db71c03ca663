package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void answersScriptThenDefaultAndRecordsRequests() throws Exception {
    try (WebhookReceiver r = WebhookReceiver.start()) {
      r.answer("/h", WebhookReceiver.status(204)).script("/h", WebhookReceiver.status(500), WebhookReceiver.status(503));
      assertThat(post(r.url("/h"), "one").statusCode()).isEqualTo(500);
      assertThat(post(r.url("/h"), "two").statusCode()).isEqualTo(503);
      assertThat(post(r.url("/h"), "three").statusCode()).isEqualTo(204);
      assertThat(r.requests("/h")).extracting(WebhookReceiver.Request::bodyText).containsExactly("one", "two", "three");
      assertThat(r.requests("/h").get(0).header("X-Test")).isEqualTo("yes");
    }
  }

  @Test
  void hangsAndClosesForReal() throws Exception {
    try (WebhookReceiver r = WebhookReceiver.start()) {
      r.answer("/hang", WebhookReceiver.hang()).answer("/close", WebhookReceiver.closeConnection());
      HttpRequest hang = HttpRequest.newBuilder(URI.create(r.url("/hang"))).timeout(Duration.ofMillis(300))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build();
      assertThatThrownBy(() -> client.send(hang, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
      assertThatThrownBy(() -> post(r.url("/close"), "x")).isInstanceOf(IOException.class);
      assertThat(r.requests()).hasSize(2);
    }
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("X-Test", "yes")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
