package io.hookline.queryapi.adapter.out.kafka;

import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import java.time.Instant;

/** Translates webhooks between the domain and their Avro records on the webhooks topic. */
final class WebhookRecords {

  private WebhookRecords() {}

  static Webhook toRecord(io.hookline.queryapi.domain.Webhook w) {
    return Webhook.newBuilder()
        .setId(w.id())
        .setPortal(w.portal())
        .setUrl(w.url())
        .setEvents(w.events())
        .setEnabled(w.enabled())
        .setSecrets(w.secrets().stream()
            .map(s -> SigningSecret.newBuilder()
                .setSecret(s.value())
                .setCreatedAt(s.createdAt().toEpochMilli())
                .setExpiresAt(s.expiresAt() == null ? null : s.expiresAt().toEpochMilli())
                .build())
            .toList())
        .setCreatedAt(w.createdAt().toEpochMilli())
        .setUpdatedAt(w.modifiedAt().toEpochMilli())
        .build();
  }

  static io.hookline.queryapi.domain.Webhook toDomain(Webhook r) {
    return new io.hookline.queryapi.domain.Webhook(
        r.getId(),
        r.getPortal(),
        r.getUrl(),
        r.getEvents(),
        r.getEnabled(),
        r.getSecrets().stream()
            .map(s -> new io.hookline.queryapi.domain.SigningSecret(
                s.getSecret(),
                Instant.ofEpochMilli(s.getCreatedAt()),
                s.getExpiresAt() == null ? null : Instant.ofEpochMilli(s.getExpiresAt())))
            .toList(),
        Instant.ofEpochMilli(r.getCreatedAt()),
        Instant.ofEpochMilli(r.getUpdatedAt()));
  }
}
