package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.dispatcher.domain.WebhookSigner;
import io.hookline.runtime.SecretCipher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Standard Webhooks headers of a request: its execution id, the time and the signature by
 * every secret of the webhook that may still sign. Signing secrets are stored encrypted
 * ({@link SecretCipher}); each stored value is decrypted once and then kept in clear
 * ({@link SigningSecrets}). Thread-safe.
 */
final class RequestSigning {

  /** Stored secrets kept in clear at most: a few MiB, more than the webhooks of most deployments. */
  private static final int SIGNING_SECRETS_KEPT = 100_000;

  private final SigningSecrets signingSecrets;

  RequestSigning(SecretCipher cipher) {
    this.signingSecrets = new SigningSecrets(cipher, SIGNING_SECRETS_KEPT);
  }

  /**
   * A request that cannot be signed, so is not sent: the attempt fails with {@link #failure()}
   * without calling the receiver. Thrown on a path that is rare by nature (no stack trace).
   */
  static final class NotSigned extends Exception {
    private final transient DeliveryOutcome.Failed failure;

    NotSigned(FailureReason reason, String message) {
      super(message, null, false, false);
      this.failure = DeliveryOutcome.Failed.of(reason, message);
    }

    DeliveryOutcome.Failed failure() {
      return failure;
    }
  }

  /**
   * The headers of the request for {@code e}, signed at {@code now}.
   *
   * @throws NotSigned when every secret of the webhook has expired ({@code SECRET_EXPIRED}), one
   *     does not decrypt ({@code SECRET_UNREADABLE}), or one is not base64 after {@code whsec_}
   *     ({@code SECRET_INVALID})
   */
  Map<String, String> headers(Execution e, byte[] body, Webhook webhook, long now) throws NotSigned {
    try {
      List<String> secrets = signingSecrets.signingAt(webhook, now);
      if (secrets.isEmpty()) {
        throw new NotSigned(FailureReason.SECRET_EXPIRED, "every signing secret of the webhook has expired; not sent");
      }
      long timestamp = now / 1000;
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("webhook-id", e.id());
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", WebhookSigner.signature(e.id(), timestamp, body, secrets));
      return headers;
    } catch (SecretCipher.SecretDecryptionException unreadable) {
      throw new NotSigned(FailureReason.SECRET_UNREADABLE, unreadable.getMessage());
    } catch (IllegalArgumentException invalidSecret) {
      throw new NotSigned(FailureReason.SECRET_INVALID, invalidSecret.getMessage());
    }
  }
}
