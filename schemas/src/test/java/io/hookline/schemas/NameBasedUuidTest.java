package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class NameBasedUuidTest {

  @Test
  void isTheJdksNameBasedUuidOfTheUtf8Name() {
    for (String name : new String[] {"", "hookline.events/3/1234", "e7c1/9f2a-webhook", "ünïcødé/€/𝄞"}) {
      assertThat(NameBasedUuid.of(name)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < 1_000; i++) {
      String name = UUID.randomUUID() + "/" + ThreadLocalRandom.current().nextLong();
      assertThat(NameBasedUuid.of(name)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void isAVersion3IetfVariantUuid() {
    UUID id = NameBasedUuid.of("hookline.events/0/42");
    assertThat(id.version()).isEqualTo(3);
    assertThat(id.variant()).isEqualTo(2);
  }
}
