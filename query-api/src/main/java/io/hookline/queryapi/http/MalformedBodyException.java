package io.hookline.queryapi.http;

/** The request body is not a JSON object (empty, malformed, or another JSON value). */
public final class MalformedBodyException extends RuntimeException {

  public MalformedBodyException(String message) {
    super(message);
  }
}
