package io.hookline.queryapi.eventtypes.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.domain.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTypeRulesTest {

  @Test
  void aValidSchemaIsKeptAsGiven() {
    String schema = "{\"type\":\"object\",\"required\":[\"id\"]}";
    assertThat(EventTypeRules.schema(schema)).isEqualTo(schema);
    assertThat(EventTypeRules.schema(null)).isNull();
  }

  @Test
  void anInvalidSchemaIsRefusedNamingSchema() {
    for (String bad : List.of("{\"type\":\"strin\"}", "{\"required\":\"id\"}", "{\"$ref\":\"https://example.com/s.json\"}")) {
      assertThatThrownBy(() -> EventTypeRules.schema(bad)).as(bad)
          .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.getMessage()).contains("'schema'"));
    }
  }

  @Test
  void namesAreExactEventNames() {
    assertThat(EventTypeRules.name("order.created")).isEqualTo("order.created");
    for (String bad : List.of("", "order.*", "a b", "a/b", "x".repeat(256))) {
      assertThatThrownBy(() -> EventTypeRules.name(bad)).as(bad)
          .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.getMessage()).contains("'name'"));
    }
    assertThatThrownBy(() -> EventTypeRules.description("d".repeat(1001))).hasMessageContaining("'description'");
  }
}
