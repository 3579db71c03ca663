package io.hookline.queryapi.adapter.in.http;

/** The request body is not a JSON object (empty, malformed, or another JSON value). */
final class MalformedBodyException extends RuntimeException {

  MalformedBodyException(String message) {
    super(message);
  }
}
