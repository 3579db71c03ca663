package io.hookline.queryapi.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.queryapi.webhooks.domain.WebhookChanges;
import io.hookline.queryapi.webhooks.domain.WebhookRules;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A webhook's {@code rate_limit}: read from create and update bodies, checked, kept by updates, shown. */
class WebhookRateLimitTest {

  private static final String BASE = "\"url\": \"https://hooks.test/a\", \"events\": [\"x\"]";
  private static final Instant NOW = Instant.ofEpochMilli(1_000);

  private static Webhook webhook(Integer rateLimit) {
    return Webhook.create("w1", "zylker", "https://hooks.test/a", List.of("x"), true,
        SigningSecret.current("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", NOW), rateLimit, NOW);
  }

  @Test
  void createTakesAWholeNumberOrNullOrNothing() {
    assertThat(WebhookRequestReader.readNew("{" + BASE + ", \"rate_limit\": 5}").rateLimit()).isEqualTo(5);
    assertThat(WebhookRequestReader.readNew("{" + BASE + ", \"rate_limit\": null}").rateLimit()).isNull();
    assertThat(WebhookRequestReader.readNew("{" + BASE + "}").rateLimit()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"5\"", "1.5", "true", "[5]", "99999999999"})
  void anythingElseIsRefusedNamingTheField(String value) {
    assertThatThrownBy(() -> WebhookRequestReader.readNew("{" + BASE + ", \"rate_limit\": " + value + "}"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("rate_limit"));
    assertThatThrownBy(() -> WebhookRequestReader.readChanges("{\"rate_limit\": " + value + "}"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("rate_limit"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, WebhookRules.MAX_RATE_LIMIT + 1})
  void aLimitIsFromOneToTheMaximum(int value) {
    assertThatThrownBy(() -> WebhookRules.rateLimit(value))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("rate_limit"));
    assertThat(WebhookRules.rateLimit(1)).isEqualTo(1);
    assertThat(WebhookRules.rateLimit(null)).isNull();
  }

  @Test
  void anUpdateSetsKeepsOrRemovesTheLimit() {
    WebhookChanges set = WebhookRequestReader.readChanges("{\"rate_limit\": 7}");
    WebhookChanges remove = WebhookRequestReader.readChanges("{\"rate_limit\": null}");
    WebhookChanges other = WebhookRequestReader.readChanges("{\"enabled\": false}");
    assertThat(set.isEmpty()).isFalse();

    Webhook limited = webhook(null).update(set, NOW);
    assertThat(limited.rateLimit()).isEqualTo(7);
    assertThat(limited.changesSince(webhook(null))).isEqualTo("rate_limit");
    assertThat(limited.update(other, NOW).rateLimit()).isEqualTo(7);
    assertThat(limited.update(remove, NOW).rateLimit()).isNull();
    assertThat(new WebhookChanges(Optional.empty(), Optional.empty(), Optional.of(true)).rateLimit()).isEmpty();
  }

  @Test
  void theAnswerShowsIt() {
    assertThat(WebhookJson.Item.of(webhook(5)).rateLimit()).isEqualTo(5);
    assertThat(WebhookJson.Item.withSecret(webhook(5)).rateLimit()).isEqualTo(5);
    assertThat(WebhookJson.Item.of(webhook(null)).rateLimit()).isNull();
  }
}
