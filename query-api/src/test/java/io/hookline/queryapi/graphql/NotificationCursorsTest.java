package io.hookline.queryapi.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.graphql.UndeliveredNotificationsQuery.Position;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class NotificationCursorsTest {

  private final NotificationCursors cursors = new NotificationCursors("k".repeat(32).getBytes(StandardCharsets.UTF_8));
  private final Position position = new Position(1_700_000_000_123L, "6442450944", "0db0d4d5-f4ae-4cb2-9ee4");

  @Test
  void aCursorGivesBackItsPositionForTheSameQuery() {
    String cursor = cursors.encode(position, "portal-a\nnull");
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    assertThat(cursors.decode(cursor, "portal-a\nnull")).isEqualTo(position);
  }

  @Test
  void anotherQueryAnotherKeyOrAnAlteredCursorIsRefusedNamingTheArgument() {
    String cursor = cursors.encode(position, "portal-a");
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    bytes[3] ^= 1;
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    NotificationCursors otherKey = new NotificationCursors("o".repeat(32).getBytes(StandardCharsets.UTF_8));

    for (Runnable decode : new Runnable[] {
        () -> cursors.decode(cursor, "portal-b"),
        () -> cursors.decode(altered, "portal-a"),
        () -> otherKey.decode(cursor, "portal-a"),
        () -> cursors.decode("%%%", "portal-a"),
        () -> cursors.decode("AQ", "portal-a"),
        () -> cursors.decode(cursor.substring(0, cursor.length() - 4), "portal-a")}) {
      assertThatThrownBy(decode::run).isInstanceOf(InvalidFieldException.class).hasMessageContaining("'cursor'")
          .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("cursor"));
    }
  }
}
