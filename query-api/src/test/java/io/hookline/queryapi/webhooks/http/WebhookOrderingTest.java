package io.hookline.queryapi.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.webhooks.domain.Ordering;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.queryapi.webhooks.domain.WebhookChanges;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A webhook's {@code ordering}: "key" or null, read from create and update bodies, kept by updates, shown. */
class WebhookOrderingTest {

  private static final String BASE = "\"url\": \"https://hooks.test/a\", \"events\": [\"x\"]";
  private static final Instant NOW = Instant.ofEpochMilli(1_000);

  private static Webhook unordered() {
    return Webhook.create("w1", "zylker", "https://hooks.test/a", List.of("x"), true,
        SigningSecret.current("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", NOW), null, NOW);
  }

  @Test
  void createTakesKeyOrNullOrNothing() {
    assertThat(WebhookRequestReader.readNew("{" + BASE + ", \"ordering\": \"key\"}").ordering())
        .isEqualTo(Ordering.KEY);
    assertThat(WebhookRequestReader.readNew("{" + BASE + ", \"ordering\": null}").ordering()).isEqualTo(Ordering.NONE);
    assertThat(WebhookRequestReader.readNew("{" + BASE + "}").ordering()).isEqualTo(Ordering.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"none\"", "\"Key\"", "\"\"", "\" key\"", "1", "true", "{}", "[\"key\"]"})
  void anythingElseIsRefusedNamingTheField(String value) {
    assertThatThrownBy(() -> WebhookRequestReader.readNew("{" + BASE + ", \"ordering\": " + value + "}"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("ordering"));
    assertThatThrownBy(() -> WebhookRequestReader.readChanges("{\"ordering\": " + value + "}"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("ordering"));
  }

  @Test
  void anUpdateSetsKeepsOrRemovesIt() {
    WebhookChanges set = WebhookRequestReader.readChanges("{\"ordering\": \"key\"}");
    WebhookChanges remove = WebhookRequestReader.readChanges("{\"ordering\": null}");
    WebhookChanges other = WebhookRequestReader.readChanges("{\"enabled\": false}");
    assertThat(set.isEmpty()).isFalse();
    assertThat(other.ordering()).isEmpty();

    Webhook ordered = unordered().update(set, NOW);
    assertThat(ordered.ordering()).isEqualTo(Ordering.KEY);
    assertThat(ordered.revision()).isEqualTo(2);
    assertThat(ordered.changesSince(unordered())).isEqualTo("ordering");
    assertThat(ordered.update(other, NOW).ordering()).isEqualTo(Ordering.KEY);
    assertThat(ordered.update(remove, NOW).ordering()).isEqualTo(Ordering.NONE);
    assertThat(new WebhookChanges(Optional.empty(), Optional.empty(), Optional.of(true)).ordering()).isEmpty();
  }

  @Test
  void theAnswerShowsKeyOrNull() {
    Webhook ordered = unordered().withOrdering(Ordering.KEY);
    assertThat(WebhookJson.Item.of(ordered).ordering()).isEqualTo("key");
    assertThat(WebhookJson.Item.withSecret(ordered).ordering()).isEqualTo("key");
    assertThat(WebhookJson.Item.of(unordered()).ordering()).isNull();
  }

  @Test
  void aStoredSpellingThisVersionDoesNotKnowReadsAsUnordered() {
    assertThat(Ordering.fromStored("key")).isEqualTo(Ordering.KEY);
    assertThat(Ordering.fromStored(null)).isEqualTo(Ordering.NONE);
    assertThat(Ordering.fromStored("fifo")).isEqualTo(Ordering.NONE);
  }
}
