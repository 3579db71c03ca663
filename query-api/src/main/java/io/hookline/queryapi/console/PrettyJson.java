package io.hookline.queryapi.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** A payload as people read it: indented JSON, or the text as it came when it is not JSON. Escaping is the template's. */
public final class PrettyJson {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PrettyJson() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    try {
      return JSON.writeValueAsString(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      return text;
    }
  }
}
