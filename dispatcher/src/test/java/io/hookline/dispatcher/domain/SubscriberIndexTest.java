package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriberIndexTest {

  static Webhook webhook(String id, String portal, boolean enabled, String... events) {
    return new Webhook(id, portal, "https://example.com/" + id, List.of(events), enabled, List.of());
  }

  @Test
  void findsEnabledWebhooksOfThePortalSubscribedToTheEvent() {
    SubscriberIndex index = new SubscriberIndex();
    Webhook a = webhook("a", "zylker", true, "chat.started", "chat.ended");
    index.changed("a", null, a);
    index.changed("b", null, webhook("b", "zylker", true, "chat.ended"));
    index.changed("c", null, webhook("c", "other", true, "chat.started"));
    index.changed("d", null, webhook("d", "zylker", false, "chat.started"));

    assertThat(index.subscribers("zylker", "chat.started")).extracting(Webhook::id).containsExactly("a");
    assertThat(index.subscribers("zylker", "chat.ended")).extracting(Webhook::id).containsExactlyInAnyOrder("a", "b");
    assertThat(index.subscribers("zylker", "chat.missed")).isEmpty();
  }

  @Test
  void followsChangesDisablingAndDeletion() {
    SubscriberIndex index = new SubscriberIndex();
    Webhook v1 = webhook("a", "zylker", true, "x", "y");
    index.changed("a", null, v1);
    Webhook v2 = webhook("a", "zylker", true, "y", "z");
    index.changed("a", v1, v2);
    assertThat(index.subscribers("zylker", "x")).isEmpty();
    assertThat(index.subscribers("zylker", "y")).containsExactly(v2);
    assertThat(index.subscribers("zylker", "z")).containsExactly(v2);

    Webhook off = webhook("a", "zylker", false, "y", "z");
    index.changed("a", v2, off);
    assertThat(index.subscribers("zylker", "y")).isEmpty();

    index.changed("a", off, v2);
    assertThat(index.subscribers("zylker", "y")).containsExactly(v2);
    index.changed("a", v2, null);
    assertThat(index.subscribers("zylker", "y")).isEmpty();
    assertThat(index.subscribers("zylker", "z")).isEmpty();
  }
}
