package io.hookline.queryapi.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Custom headers as requests give them: an object of strings, in the order given; null or {} for none. */
class WebhookRequestHeadersTest {

  @Test
  void headersAreReadInTheirOrder() {
    var created = WebhookRequestReader.readNew(
        "{\"url\":\"https://x.test\",\"events\":[\"a\"],\"headers\":{\"X-B\":\"2\",\"X-A\":\"1\"}}");
    assertThat(created.headers()).containsExactly(Map.entry("X-B", "2"), Map.entry("X-A", "1"));
    assertThat(WebhookRequestReader.readNew("{\"url\":\"https://x.test\",\"events\":[\"a\"]}").headers()).isEmpty();
  }

  @Test
  void aChangeReplacesOrRemovesThemOrLeavesThem() {
    assertThat(WebhookRequestReader.readChanges("{\"headers\":{\"X-A\":\"1\"}}").headers()).contains(Map.of("X-A", "1"));
    assertThat(WebhookRequestReader.readChanges("{\"headers\":{}}").headers()).contains(Map.of());
    assertThat(WebhookRequestReader.readChanges("{\"headers\":null}").headers()).contains(Map.of());
    assertThat(WebhookRequestReader.readChanges("{\"enabled\":true}").headers()).isEqualTo(Optional.empty());
  }

  @Test
  void anythingButAnObjectOfStringsIsRefusedNamingHeaders() {
    for (String bad : new String[] {"[\"X-A\"]", "\"X-A: 1\"", "{\"X-A\":1}", "{\"X-A\":{\"v\":\"1\"}}"}) {
      assertThatThrownBy(() -> WebhookRequestReader.readChanges("{\"headers\":" + bad + "}")).as(bad)
          .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("headers"));
    }
  }
}
