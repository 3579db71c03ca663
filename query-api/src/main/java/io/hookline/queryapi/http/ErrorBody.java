package io.hookline.queryapi.http;

/** Every error answer of the API: a stable machine-readable code and a message for people. */
public record ErrorBody(String code, String message) {}
