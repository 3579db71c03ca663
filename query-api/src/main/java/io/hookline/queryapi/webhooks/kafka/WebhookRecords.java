package io.hookline.queryapi.webhooks.kafka;

import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.runtime.SecretCipher;
import java.time.Instant;

/**
 * Translates webhooks between the domain and their Avro records on the webhooks topic. Signing
 * secrets are encrypted on the way to the topic and decrypted on the way back ({@link SecretCipher},
 * bound to the webhook id), so the topic never holds a secret in clear.
 */
final class WebhookRecords {

  private final SecretCipher cipher;

  WebhookRecords(SecretCipher cipher) {
    this.cipher = cipher;
  }

  Webhook toRecord(io.hookline.queryapi.webhooks.domain.Webhook w) {
    return Webhook.newBuilder()
        .setId(w.id())
        .setPortal(w.portal())
        .setUrl(w.url())
        .setEvents(w.events())
        .setEnabled(w.enabled())
        .setSecrets(w.secrets().stream()
            .map(s -> SigningSecret.newBuilder()
                .setSecret(cipher.encrypt(s.value(), w.id()))
                .setCreatedAt(s.createdAt().toEpochMilli())
                .setExpiresAt(s.expiresAt() == null ? null : s.expiresAt().toEpochMilli())
                .build())
            .toList())
        .setCreatedAt(w.createdAt().toEpochMilli())
        .setUpdatedAt(w.modifiedAt().toEpochMilli())
        .setDisabledReason(w.disabledReason())
        .setFailingSince(w.failingSince() == null ? null : w.failingSince().toEpochMilli())
        .setRevision(w.revision())
        .setRateLimit(w.rateLimit())
        .setHeaders(w.headers().isEmpty() ? null : new java.util.LinkedHashMap<>(w.headers()))
        .setOrdering(w.ordering().value())
        .build();
  }

  /** @throws SecretCipher.SecretDecryptionException when a secret does not decrypt with this key */
  io.hookline.queryapi.webhooks.domain.Webhook toDomain(Webhook r) {
    return new io.hookline.queryapi.webhooks.domain.Webhook(
        r.getId(),
        r.getPortal(),
        r.getUrl(),
        r.getEvents(),
        r.getEnabled(),
        r.getSecrets().stream()
            .map(s -> new io.hookline.queryapi.webhooks.domain.SigningSecret(
                cipher.decrypt(s.getSecret(), r.getId()),
                Instant.ofEpochMilli(s.getCreatedAt()),
                s.getExpiresAt() == null ? null : Instant.ofEpochMilli(s.getExpiresAt())))
            .toList(),
        Instant.ofEpochMilli(r.getCreatedAt()),
        Instant.ofEpochMilli(r.getUpdatedAt()),
        r.getDisabledReason(),
        r.getFailingSince() == null ? null : Instant.ofEpochMilli(r.getFailingSince()),
        r.getRevision(),
        r.getRateLimit(), r.getHeaders() == null ? java.util.Map.of() : r.getHeaders(),
        io.hookline.queryapi.webhooks.domain.Ordering.fromStored(r.getOrdering()));
  }
}
