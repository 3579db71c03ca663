package io.hookline.queryapi.graphql;

/** The token does not allow what a GraphQL argument asks for; the message names the argument. */
final class AccessRefusedException extends RuntimeException {

  private final String argument;

  AccessRefusedException(String argument, String message) {
    super(message);
    this.argument = argument;
  }

  String argument() {
    return argument;
  }
}
