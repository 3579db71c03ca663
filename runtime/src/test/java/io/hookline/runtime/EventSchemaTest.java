package io.hookline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventSchemaTest {

  private static final String ORDER = "{\"type\": \"object\", \"required\": [\"order_id\"],"
      + " \"properties\": {\"order_id\": {\"type\": \"string\"}, \"total\": {\"type\": \"number\", \"minimum\": 0}}}";

  @Test
  void aMatchingDocumentHasNoViolations() throws Exception {
    assertThat(EventSchema.compile(ORDER).violations("{\"order_id\": \"o-1\", \"total\": 3.5}")).isNull();
  }

  @Test
  void violationsNameEachErrorAndTheirCount() throws Exception {
    String why = EventSchema.compile(ORDER).violations("{\"total\": -1}");
    assertThat(why).startsWith("2 errors: ").contains("order_id").contains("total");
  }

  @Test
  void manyErrorsAreListedOnlyUpToTheLimit() throws Exception {
    StringBuilder props = new StringBuilder();
    StringBuilder doc = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      props.append(i == 0 ? "" : ",").append("\"p").append(i).append("\": {\"type\": \"string\"}");
      doc.append(i == 0 ? "" : ",").append("\"p").append(i).append("\": ").append(i);
    }
    String why = EventSchema.compile("{\"properties\": {" + props + "}}").violations("{" + doc + "}");
    assertThat(why).startsWith("30 errors: ").endsWith("; ...");
  }

  @Test
  void aSchemaThatBreaksTheMetaSchemaIsRefused() {
    assertThatThrownBy(() -> EventSchema.compile("{\"type\": \"strin\"}"))
        .isInstanceOf(EventSchema.InvalidSchemaException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> EventSchema.compile("{\"minimum\": \"zero\"}"))
        .isInstanceOf(EventSchema.InvalidSchemaException.class);
    assertThatThrownBy(() -> EventSchema.compile("{\"type\": "))
        .isInstanceOf(EventSchema.InvalidSchemaException.class);
  }

  @Test
  void aReferenceToARemoteDocumentIsRefusedNotFetched() {
    assertThatThrownBy(() -> EventSchema.compile("{\"$ref\": \"http://127.0.0.1:9/elsewhere.json\"}"))
        .isInstanceOf(EventSchema.InvalidSchemaException.class);
  }

  @Test
  void localReferencesResolve() throws Exception {
    EventSchema schema = EventSchema.compile("{\"$defs\": {\"id\": {\"type\": \"string\"}},"
        + " \"properties\": {\"id\": {\"$ref\": \"#/$defs/id\"}}}");
    assertThat(schema.violations("{\"id\": \"x\"}")).isNull();
    assertThat(schema.violations("{\"id\": 5}")).startsWith("1 error: ");
  }
}
