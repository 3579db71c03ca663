package io.hookline.queryapi.auth;

import java.util.Optional;

/**
 * The {@link Caller} of the request this thread is answering; empty outside a request (a background
 * task) or for a request without a bearer token. Views use it to forward a question to the instance
 * that holds the answer without every method having to carry the caller.
 */
public interface CurrentCaller {

  Optional<Caller> get();
}
