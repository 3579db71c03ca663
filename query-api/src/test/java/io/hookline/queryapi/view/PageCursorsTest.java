package io.hookline.queryapi.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Cursors come back as the position they stand for, and only for the list they were made for. */
class PageCursorsTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final PageCursors CURSORS = new PageCursors(KEY);
  private static final byte[] POSITION = {0x7f, 0, 0, 1, (byte) 0xff, 'e', '1'};

  @Test
  void aCursorOpensThePositionItWasMadeFor() {
    String after = CURSORS.encode(new PageStart.After(POSITION), "attempts\nw1");
    String before = CURSORS.encode(new PageStart.Before(POSITION), "attempts\nw1");

    assertThat(after).matches("[A-Za-z0-9_-]+");
    assertThat(CURSORS.decode(after, "attempts\nw1")).isEqualTo(new PageStart.After(POSITION));
    assertThat(CURSORS.decode(before, "attempts\nw1")).isEqualTo(new PageStart.Before(POSITION));
    assertThat(new PageCursors(KEY).decode(after, "attempts\nw1"))
        .as("another instance with the same key").isEqualTo(new PageStart.After(POSITION));
  }

  @Test
  void aCursorOfAnotherListOrAnotherKeyIsRefused() {
    String cursor = CURSORS.encode(new PageStart.After(POSITION), "attempts\nw1");

    assertRefused(() -> CURSORS.decode(cursor, "attempts\nw2"));
    assertRefused(() -> CURSORS.decode(cursor, "executions\nw1"));
    assertRefused(() -> new PageCursors("another key of 32 bytes, really!".getBytes(StandardCharsets.UTF_8))
        .decode(cursor, "attempts\nw1"));
  }

  @Test
  void anAlteredMadeUpOrEmptyCursorIsRefusedNamingTheParameter() {
    String cursor = CURSORS.encode(new PageStart.After(POSITION), "b");
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    bytes[3] ^= 1;
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertRefused(() -> CURSORS.decode(altered, "b"));
    assertRefused(() -> CURSORS.decode(cursor.substring(0, cursor.length() - 2), "b"));
    assertRefused(() -> CURSORS.decode("not a cursor!", "b"));
    assertRefused(() -> CURSORS.decode("AAAA", "b"));
    assertRefused(() -> CURSORS.decode("", "b"));
    assertRefused(() -> CURSORS.decode("A".repeat(5000), "b"));
  }

  private static void assertRefused(Runnable decode) {
    assertThatThrownBy(decode::run)
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("cursor"))
        .hasMessageContaining("'cursor'");
  }
}
