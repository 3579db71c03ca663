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

  @Test
  void wildcardsMatchEveryEventUnderTheirPrefixAndStarMatchesAll() {
    SubscriberIndex index = new SubscriberIndex();
    Webhook orders = webhook("o", "zylker", true, "order.*");
    Webhook all = webhook("all", "zylker", true, "*");
    Webhook items = webhook("i", "zylker", true, "order.item.*", "order.created");
    index.changed("o", null, orders);
    index.changed("all", null, all);
    index.changed("i", null, items);
    index.changed("x", null, webhook("x", "other", true, "*", "order.*"));

    assertThat(index.subscribers("zylker", "order.created")).extracting(Webhook::id)
        .containsExactlyInAnyOrder("o", "all", "i");
    assertThat(index.subscribers("zylker", "order.item.added")).extracting(Webhook::id)
        .containsExactlyInAnyOrder("o", "all", "i");
    assertThat(index.subscribers("zylker", "order")).extracting(Webhook::id).containsExactly("all");
    assertThat(index.subscribers("zylker", "orders.created")).extracting(Webhook::id).containsExactly("all");
    assertThat(index.subscribers("zylker", "order.")).extracting(Webhook::id).containsExactly("all");
    assertThat(index.subscribers("nobody", "order.created")).isEmpty();
  }

  @Test
  void aWebhookMatchedByTwoOfItsEntriesIsReturnedOnce() {
    SubscriberIndex index = new SubscriberIndex();
    Webhook w = webhook("a", "zylker", true, "chat.started", "chat.*", "*");
    index.changed("a", null, w);
    assertThat(index.subscribers("zylker", "chat.started")).containsExactly(w);
  }

  @Test
  void wildcardsFollowChangesAndDeletion() {
    SubscriberIndex index = new SubscriberIndex();
    Webhook v1 = webhook("a", "zylker", true, "order.*");
    index.changed("a", null, v1);
    Webhook v2 = webhook("a", "zylker", true, "chat.*");
    index.changed("a", v1, v2);
    assertThat(index.subscribers("zylker", "order.created")).isEmpty();
    assertThat(index.subscribers("zylker", "chat.ended")).containsExactly(v2);
    Webhook off = webhook("a", "zylker", false, "chat.*");
    index.changed("a", v2, off);
    assertThat(index.subscribers("zylker", "chat.ended")).isEmpty();
    index.changed("a", off, v2);
    index.changed("a", v2, null);
    assertThat(index.subscribers("zylker", "chat.ended")).isEmpty();
  }

  @Test
  void matchingStaysAHandfulOfLookupsWithManyWebhooks() {
    SubscriberIndex index = new SubscriberIndex();
    for (int i = 0; i < 20_000; i++) {
      index.changed("e" + i, null, webhook("e" + i, "zylker", true, "event." + i));
      index.changed("w" + i, null, webhook("w" + i, "zylker", true, "group" + i + ".*"));
    }
    long started = System.nanoTime();
    for (int i = 0; i < 20_000; i++) {
      assertThat(index.subscribers("zylker", "group" + i + ".thing.done")).hasSize(1);
    }
    // 20,000 matches against 40,000 webhooks: a scan of every pattern would take seconds here.
    assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
  }
}
