package io.hookline.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.dispatcher.OperationalSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint lifecycle and operator webhook keys: defaults, 0 = never, and what is refused at start, naming the key. */
class OperationalConfigurationTest {

  private static OperationalSettings settings(String disableAfter, String url, String secret) {
    DispatcherConfiguration c = new DispatcherConfiguration();
    if (disableAfter != null) {
      c.setDisableAfter(disableAfter);
    }
    c.setOperationalWebhookUrl(url);
    c.setOperationalWebhookSecret(secret);
    return c.toOperationalSettings();
  }

  @Test
  void defaultsAreFiveDaysAndNoOperatorUrl() {
    OperationalSettings s = settings(null, null, null);

    assertThat(s.disableAfter()).isEqualTo(Duration.ofDays(5));
    assertThat(s.webhookUrl()).isNull();
    assertThat(s.relayGroupId("hookline-dispatcher")).isEqualTo("hookline-dispatcher-operational");
  }

  @Test
  void zeroMeansNeverAndDurationsParse() {
    assertThat(settings("0", null, null).disableAfter()).isZero();
    assertThat(settings("36h", null, null).disableAfter()).isEqualTo(Duration.ofHours(36));
    assertThatThrownBy(() -> settings("soon", null, null)).hasMessageContaining("HOOKLINE_DISABLE_AFTER");
  }

  @Test
  void anOperatorUrlNeedsAWhsecSecretWhichIsNeverShown() {
    assertThatThrownBy(() -> settings(null, "https://ops.example.com", null))
        .hasMessageContaining("HOOKLINE_OPERATIONAL_WEBHOOK_SECRET");
    assertThatThrownBy(() -> settings(null, "ftp://ops.example.com", "whsec_AAAA"))
        .hasMessageContaining("HOOKLINE_OPERATIONAL_WEBHOOK_URL");

    OperationalSettings s = settings(null, "https://ops.example.com", "whsec_c2VjcmV0");

    assertThat(s.webhookUrl()).isEqualTo("https://ops.example.com");
    assertThat(s.toString()).doesNotContain("c2VjcmV0");
  }
}
