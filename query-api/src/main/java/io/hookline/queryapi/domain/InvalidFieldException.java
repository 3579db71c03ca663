package io.hookline.queryapi.domain;

/** A value given for a webhook field breaks a rule; the message names the field and the rule. */
public final class InvalidFieldException extends RuntimeException {

  private final String field;

  public InvalidFieldException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
