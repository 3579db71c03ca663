package io.hookline.queryapi.graphql;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.StoreUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a field's fetching throws into a GraphQL error with the API's codes in
 * {@code extensions.code}: {@code INVALID_ARGUMENT} (with {@code extensions.argument}) for a bad
 * argument, {@code FORBIDDEN} when the token does not grant the portal, {@code SERVICE_UNAVAILABLE}
 * while the view cannot answer (try again shortly), and {@code INTERNAL_ERROR} for anything else,
 * whose details go to the log, not to the client.
 */
final class GraphQLErrors implements DataFetcherExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(GraphQLErrors.class);

  @Override
  public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
      DataFetcherExceptionHandlerParameters parameters) {
    Throwable e = parameters.getException();
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError()
        .path(parameters.getPath())
        .location(parameters.getSourceLocation());
    if (e instanceof InvalidFieldException invalid) {
      error.message(invalid.getMessage()).extensions(Map.of("code", "INVALID_ARGUMENT", "argument", invalid.field()));
    } else if (e instanceof AccessRefusedException refused) {
      error.message(refused.getMessage()).extensions(Map.of("code", "FORBIDDEN", "argument", refused.argument()));
    } else if (e instanceof StoreUnavailableException unavailable) {
      LOG.warn("GraphQL {}: {}", parameters.getPath(), unavailable.getMessage());
      error.message(unavailable.getMessage()).extensions(Map.of("code", "SERVICE_UNAVAILABLE"));
    } else {
      LOG.error("GraphQL {} failed", parameters.getPath(), e);
      error.message("The query failed on the server; see its log").extensions(Map.of("code", "INTERNAL_ERROR"));
    }
    return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error.build()).build());
  }
}
