package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutcomeClassifierTest {

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void twoHundredsAreDelivered(int status) {
    DeliveryOutcome o = OutcomeClassifier.fromStatus(status, "ok");
    assertThat(o).isEqualTo(new DeliveryOutcome.Delivered(status, "ok"));
    assertThat(o.attemptStatus()).isEqualTo(AttemptStatus.SENT);
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 301, 302, 307, 400, 401, 404, 429, 500, 502, 503})
  void everythingElseIsAnHttpErrorWithItsStatus(int status) {
    DeliveryOutcome o = OutcomeClassifier.fromStatus(status, null);
    assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
      assertThat(f.reason()).isEqualTo(FailureReason.HTTP_ERROR);
      assertThat(f.httpStatus()).isEqualTo(status);
      assertThat(f.attemptStatus()).isEqualTo(AttemptStatus.ERROR);
      assertThat(f.gone()).isFalse();
    });
  }

  @Test
  void redirectsSayTheyAreNotFollowed() {
    assertThat(((DeliveryOutcome.Failed) OutcomeClassifier.fromStatus(302, null)).message()).contains("not followed");
  }

  @Test
  void goneIsAnHttpErrorThatIsNotRetried() {
    DeliveryOutcome.Failed f = (DeliveryOutcome.Failed) OutcomeClassifier.fromStatus(410, null);
    assertThat(f.reason()).isEqualTo(FailureReason.HTTP_ERROR);
    assertThat(f.gone()).isTrue();
    assertThat(f.message()).contains("Gone").contains("not retried");
  }

  @Test
  void noAnswerInTimeIsATimeout() {
    for (Throwable t : new Throwable[] {new TimeoutException(), new HttpTimeoutException("request timed out"),
        new HttpConnectTimeoutException("connect timed out"), new CompletionException(new TimeoutException())}) {
      DeliveryOutcome.Failed f = OutcomeClassifier.fromError(t);
      assertThat(f.reason()).as(t.toString()).isEqualTo(FailureReason.TIMEOUT);
      assertThat(f.attemptStatus()).isEqualTo(AttemptStatus.TIMEOUT);
      assertThat(f.httpStatus()).isNull();
    }
  }

  @Test
  void refusedResetClosedAndUnknownHostsAreConnectionErrors() {
    for (Throwable t : new Throwable[] {new ConnectException("Connection refused"), new IOException("Connection reset"),
        new IOException("HTTP/1.1 header parser received no bytes"), new CompletionException(new ConnectException()),
        new ConnectException() {{ initCause(new UnresolvedAddressException()); }}, new UnresolvedAddressException(),
        new IllegalArgumentException("invalid URI scheme ftp")}) {
      DeliveryOutcome.Failed f = OutcomeClassifier.fromError(t);
      assertThat(f.reason()).as(t.toString()).isEqualTo(FailureReason.CONNECTION_ERROR);
      assertThat(f.attemptStatus()).isEqualTo(AttemptStatus.ERROR);
      assertThat(f.message()).isNotBlank();
    }
  }
}
