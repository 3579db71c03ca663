package io.hookline.queryapi.graphql;

import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.io.ResourceResolver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The GraphQL engine behind {@code /graphql} (Micronaut's GraphQL controller): the schema in
 * {@code graphql/hookline.graphqls}, wired to its scalars and to
 * {@link UndeliveredNotificationsFetcher}, with {@link GraphQLErrors} shaping field errors.
 */
@Factory
class GraphQLFactory {

  static final String SCHEMA = "classpath:graphql/hookline.graphqls";

  @Singleton
  GraphQL graphQL(ResourceResolver resources, UndeliveredNotificationsFetcher undeliveredNotifications) {
    RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
        .scalar(GraphQLScalars.DATE_TIME)
        .scalar(GraphQLScalars.JSON)
        .type("Query", query -> query.dataFetcher("undeliveredNotifications", undeliveredNotifications))
        .build();
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText(resources)),
        wiring);
    return GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(new GraphQLErrors()).build();
  }

  private static String schemaText(ResourceResolver resources) {
    try (InputStream in = resources.getResourceAsStream(SCHEMA)
        .orElseThrow(() -> new IllegalStateException("Missing " + SCHEMA))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
