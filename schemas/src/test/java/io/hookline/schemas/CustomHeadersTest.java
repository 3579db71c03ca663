package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomHeadersTest {

  @Test
  void ordinaryHeadersPass() {
    assertThat(CustomHeaders.problem(Map.of("X-Api-Key", "abc 123", "Authorization", "Bearer t0k3n"))).isNull();
    assertThat(CustomHeaders.problem(Map.of("x-empty", ""))).isNull();
  }

  @Test
  void reservedNamesAreRefusedWhateverTheirCase() {
    for (String name : List.of("webhook-id", "Webhook-Signature", "WEBHOOK-TIMESTAMP", "Content-Type", "content-length",
        "Host", "Transfer-Encoding", "Connection", "User-Agent", "hookline-anything", "Hookline-Trace")) {
      assertThat(CustomHeaders.problem(name, "x")).as(name).contains("reserved");
    }
  }

  @Test
  void namesMustBeTokensAndValuesFieldValues() {
    assertThat(CustomHeaders.problem("X Api", "v")).contains("not a header name");
    assertThat(CustomHeaders.problem("X:Api", "v")).contains("not a header name");
    assertThat(CustomHeaders.problem("", "v")).contains("not a header name");
    assertThat(CustomHeaders.problem("X-Ümlaut", "v")).contains("not a header name");
    assertThat(CustomHeaders.problem("X-A", "line\r\nInjected: yes")).contains("visible ASCII");
    assertThat(CustomHeaders.problem("X-A", " padded")).contains("visible ASCII");
    assertThat(CustomHeaders.problem("X-A", "caf\u00e9")).contains("visible ASCII");
  }

  @Test
  void sizesAreBounded() {
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= CustomHeaders.MAX_HEADERS; i++) {
      many.put("X-" + i, "v");
    }
    assertThat(CustomHeaders.problem(many)).contains("at most " + CustomHeaders.MAX_HEADERS);
    assertThat(CustomHeaders.problem("X-A", "v".repeat(CustomHeaders.MAX_VALUE_LENGTH + 1))).contains("at most");
    assertThat(CustomHeaders.problem("X".repeat(CustomHeaders.MAX_NAME_LENGTH + 1), "v")).contains("not a header name");
    assertThat(CustomHeaders.problem(Map.of("X-A", "1", "x-a", "2"))).contains("twice");
  }
}
