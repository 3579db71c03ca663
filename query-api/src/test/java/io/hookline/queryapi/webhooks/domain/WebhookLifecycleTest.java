package io.hookline.queryapi.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the API's changes do to why a webhook was disabled and to its failure clock, and how a change is described. */
class WebhookLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  /** A webhook as the dispatcher leaves it: disabled after a 410, failing since T0 (or enabled and failing). */
  private static Webhook stored(boolean enabled, String reason) {
    return new Webhook("1", "zylker", "https://example.com", List.of("a"), enabled,
        List.of(SigningSecret.current("whsec_first", T0)), T0, T0, reason, T0);
  }

  private static WebhookChanges changes(String url, List<String> events, Boolean enabled) {
    return new WebhookChanges(Optional.ofNullable(url), Optional.ofNullable(events), Optional.ofNullable(enabled));
  }

  @Test
  void enablingAgainClearsTheReasonAndStartsTheClockAfresh() {
    Webhook enabled = stored(false, "the endpoint answered 410 Gone").update(changes(null, null, true), T1);

    assertThat(enabled.enabled()).isTrue();
    assertThat(enabled.disabledReason()).isNull();
    assertThat(enabled.failingSince()).isNull();
    assertThat(enabled.changesSince(stored(false, "x"))).isEqualTo("enabled");
  }

  @Test
  void otherChangesToADisabledWebhookKeepItsReason() {
    Webhook changed = stored(false, "the endpoint answered 410 Gone").update(changes(null, List.of("a", "b"), null), T1);

    assertThat(changed.enabled()).isFalse();
    assertThat(changed.disabledReason()).isEqualTo("the endpoint answered 410 Gone");
    assertThat(changed.changesSince(stored(false, null))).isEqualTo("events");
  }

  @Test
  void anEnabledWebhookKeepsItsClockUnlessItsUrlChanges() {
    assertThat(stored(true, null).update(changes(null, List.of("b"), null), T1).failingSince()).isEqualTo(T0);
    assertThat(stored(true, null).update(changes(null, null, true), T1).failingSince()).isEqualTo(T0);

    Webhook moved = stored(true, null).update(changes("https://example.com/new", null, null), T1);

    assertThat(moved.failingSince()).isNull();
    assertThat(moved.changesSince(stored(true, null))).isEqualTo("url");
  }

  @Test
  void rotationKeepsBothAndIsDescribedAsASecretChange() {
    Webhook before = stored(false, "gone");
    Webhook rotated = before.rotateSecret(SigningSecret.current("whsec_second", T1), T1, java.time.Duration.ofHours(1));

    assertThat(rotated.disabledReason()).isEqualTo("gone");
    assertThat(rotated.failingSince()).isEqualTo(T0);
    assertThat(rotated.changesSince(before)).isEqualTo("secret");
  }
}
