package io.hookline.queryapi.live.http;

import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.testing.IntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stopping the API ends its live streams, so clients reconnect elsewhere, instead of hanging. */
@IntegrationTest
class LiveFailuresShutdownTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  @Test
  void stoppingTheApiEndsItsOpenStreams() throws Exception {
    String portal = newPortal();
    try (SseClient stream = SseClient.open(api.uri("/api/v2/" + portal + "/failures/stream"),
        TestTokens.forPortal(portal), null)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.next().isHeartbeat()).isTrue();
      assertThat(stream.endsWithin(Duration.ofMillis(500))).as("open while the API runs").isFalse();

      api.close();

      assertThat(stream.endsWithin(Duration.ofSeconds(30))).isTrue();
    }
  }
}
