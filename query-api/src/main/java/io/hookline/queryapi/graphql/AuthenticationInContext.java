package io.hookline.queryapi.graphql;

import graphql.ExecutionInput;
import io.micronaut.configuration.graphql.DefaultGraphQLExecutionInputCustomizer;
import io.micronaut.configuration.graphql.GraphQLExecutionInputCustomizer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Hands the caller's {@link Authentication} (checked by the security filter before the GraphQL
 * controller runs) to the fields, through the GraphQL context, so they can settle the portal.
 */
@Singleton
@Replaces(DefaultGraphQLExecutionInputCustomizer.class)
class AuthenticationInContext implements GraphQLExecutionInputCustomizer {

  @Override
  public Publisher<ExecutionInput> customize(ExecutionInput input, HttpRequest httpRequest,
      MutableHttpResponse<String> httpResponse) {
    httpRequest.getUserPrincipal(Authentication.class).ifPresent(authentication ->
        input.getGraphQLContext().put(UndeliveredNotificationsFetcher.AUTHENTICATION, authentication));
    return Publishers.just(input);
  }
}
