package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

  @Test
  void theTextSentToTheRegistryIsTheSameSchemaWithoutTheLiteralEmptyObjectString() {
    for (Schema schema : new Schema[] {Event.getClassSchema(), FailedExecution.getClassSchema()}) {
      String sent = SchemaRegistryClient.registrationText(schema.toString());

      assertThat(schema.toString()).contains("\"{}\"");
      assertThat(sent).doesNotContain("\"{}\"");
      Schema parsed = new Schema.Parser().parse(sent);
      assertThat(parsed).isEqualTo(schema);
      assertThat(parsed.toString()).isEqualTo(schema.toString());
    }
  }
}
