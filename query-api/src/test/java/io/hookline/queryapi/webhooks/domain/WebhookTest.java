package io.hookline.queryapi.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Webhook webhook() {
    return Webhook.create("1", "zylker", "https://example.com", List.of("a"), true,
        SigningSecret.current("whsec_first", T0), T0);
  }

  @Test
  void rotationKeepsThePreviousSecretUntilTheGracePeriodEnds() {
    Instant t1 = T0.plusSeconds(60);
    Webhook rotated = webhook().rotateSecret(SigningSecret.current("whsec_second", t1), t1, GRACE);

    assertThat(rotated.currentSecret()).map(SigningSecret::value).contains("whsec_second");
    assertThat(rotated.secrets()).extracting(SigningSecret::value).containsExactly("whsec_second", "whsec_first");
    assertThat(rotated.secrets().get(1).expiresAt()).isEqualTo(t1.plus(GRACE));
    assertThat(rotated.secrets().get(1).createdAt()).isEqualTo(T0);
    assertThat(rotated.modifiedAt()).isEqualTo(t1);
    assertThat(rotated.createdAt()).isEqualTo(T0);
  }

  @Test
  void rotationDropsSecretsWhoseGracePeriodIsOver() {
    Instant t1 = T0.plusSeconds(60);
    Instant t2 = t1.plus(GRACE).plusSeconds(1);
    Webhook twice = webhook()
        .rotateSecret(SigningSecret.current("whsec_second", t1), t1, GRACE)
        .rotateSecret(SigningSecret.current("whsec_third", t2), t2, GRACE);

    assertThat(twice.secrets()).extracting(SigningSecret::value).containsExactly("whsec_third", "whsec_second");
    assertThat(twice.secrets().get(1).expiresAt()).isEqualTo(t2.plus(GRACE));
  }

  @Test
  void aRotatedInSecretMustBeCurrent() {
    SigningSecret expiring = new SigningSecret("whsec_x", T0, T0.plusSeconds(1));
    assertThatThrownBy(() -> webhook().rotateSecret(expiring, T0, GRACE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void updateChangesOnlyTheGivenFields() {
    Instant t1 = T0.plusSeconds(5);
    Webhook updated = webhook().update(
        new WebhookChanges(Optional.empty(), Optional.of(List.of("b", "c")), Optional.of(false)), t1);

    assertThat(updated.url()).isEqualTo("https://example.com");
    assertThat(updated.events()).containsExactly("b", "c");
    assertThat(updated.enabled()).isFalse();
    assertThat(updated.secrets()).isEqualTo(webhook().secrets());
    assertThat(updated.modifiedAt()).isEqualTo(t1);
  }

  @Test
  void generatedSecretsAreStandardWebhooksSecretsOf32RandomBytes() {
    SigningSecret a = SigningSecret.generate(RANDOM, T0);
    SigningSecret b = SigningSecret.generate(RANDOM, T0);

    assertThat(a.value()).startsWith("whsec_").isNotEqualTo(b.value());
    assertThat(Base64.getDecoder().decode(a.value().substring(6))).hasSize(32);
    assertThat(WebhookRules.secret(a.value())).isEqualTo(a.value());
    assertThat(a.isCurrent()).isTrue();
    assertThat(a.toString()).doesNotContain(a.value());
  }

  @Test
  void duplicateEventsAreDroppedKeepingTheFirstOccurrence() {
    assertThat(WebhookRules.events(List.of("b", "a", "b"))).containsExactly("b", "a");
  }

  @Test
  void customHeadersAreKeptByOtherChangesReplacedByTheirOwnAndNamedAsChanged() {
    Webhook w = webhook().withHeaders(java.util.Map.of("X-Api-Key", "k"));
    Webhook enabled = w.update(new WebhookChanges(Optional.empty(), Optional.empty(), Optional.of(false)), T0);
    assertThat(enabled.headers()).containsEntry("X-Api-Key", "k");
    Webhook replaced = enabled.update(new WebhookChanges(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(java.util.Map.of("X-Other", "o"))), T0);
    assertThat(replaced.headers()).containsExactly(java.util.Map.entry("X-Other", "o"));
    assertThat(replaced.changesSince(enabled)).isEqualTo("headers");
    assertThatThrownBy(() -> WebhookRules.headers(java.util.Map.of("Webhook-Id", "x")))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("headers"));
  }

  @Test
  void eventsAcceptWildcardsAndRefuseAStarElsewhere() {
    assertThat(WebhookRules.events(List.of("order.*", "*", "chat.started"))).containsExactly("order.*", "*", "chat.started");
    for (String bad : List.of("or*der", "order*", "*.created", ".*")) {
      assertThatThrownBy(() -> WebhookRules.events(List.of("ok", bad)))
          .as(bad)
          .isInstanceOf(InvalidFieldException.class)
          .hasMessageContaining("'events[1]'");
    }
  }

  @Test
  void urlsMustBeAbsoluteHttpOrHttpsWithAHost() {
    assertThat(WebhookRules.url("HTTPS://Example.com:8443/x?y=1")).isEqualTo("HTTPS://Example.com:8443/x?y=1");
    for (String bad : List.of("example.com/x", "file:///etc/passwd", "http:/x", "https:///x", "javascript:alert(1)")) {
      assertThatThrownBy(() -> WebhookRules.url(bad))
          .as(bad)
          .isInstanceOf(InvalidFieldException.class)
          .hasMessageContaining("'url'");
    }
  }
}
