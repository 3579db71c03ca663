package io.hookline.bench;

import io.hookline.testing.Folders;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real query-api (its Micronaut {@code EmbeddedServer}: HTTP server, JWT security, webhooks
 * mirror, Kafka Streams view on RocksDB) started in this JVM, in a class loader of its own built
 * from the query-api's runtime classpath. Own loader because Micronaut starts every bean it finds
 * on its classpath: on the benchmarks' classpath the query-api would also start the
 * retry-scheduler (and the scheduler the query-api). The benchmark talks to it over HTTP only, and
 * reads which dead-letter partitions it serves from its {@code KafkaStreams} through reflection.
 */
final class QueryApiInstance implements AutoCloseable {

  /** Written by the benchmarks' build: the query-api jar (its runtime-classpath.txt sits beside it). */
  static final String QUERY_API_ENTRY_FILE = "query-api-classpath.txt";

  private static ClassLoader loader;

  private final String name;
  private final int port;
  private final Path stateDir;
  private final Closeable context;

  private QueryApiInstance(String name, int port, Path stateDir, Closeable context) {
    this.name = name;
    this.port = port;
    this.stateDir = stateDir;
    this.context = context;
  }

  /** Starts an instance with these {@code hookline.*} / {@code micronaut.*} properties (port and state dir included). */
  static QueryApiInstance start(String name, int port, Path stateDir, Map<String, Object> properties) {
    ClassLoader api = loader();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(api);
    try {
      Class<?> applicationContext = api.loadClass("io.micronaut.context.ApplicationContext");
      Class<?> embeddedServer = api.loadClass("io.micronaut.runtime.server.EmbeddedServer");
      Object server = applicationContext.getMethod("run", Class.class, Map.class, String[].class)
          .invoke(null, embeddedServer, properties, new String[0]);
      Object context = embeddedServer.getMethod("getApplicationContext").invoke(server);
      return new QueryApiInstance(name, port, stateDir, (Closeable) context);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("query-api " + name + " did not start: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("query-api " + name + " did not start", e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Path stateDir() {
    return stateDir;
  }

  Class<?> loadClass(String name) throws ClassNotFoundException {
    return loader().loadClass(name);
  }

  /** The instance's bean of that type (a type of the query-api's class loader). */
  Object bean(Class<?> type) throws ReflectiveOperationException {
    try {
      return context.getClass().getMethod("getBean", Class.class).invoke(context, type);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("no " + type.getName() + " bean: " + e.getCause(), e.getCause());
    }
  }

  /** The dead-letter partitions whose tasks are active on this instance (its KafkaStreams metadata). */
  Set<Integer> activePartitions(String deadLetterTopic) {
    ClassLoader api = loader();
    try {
      Class<?> streamsBean = api.loadClass("io.hookline.queryapi.view.streams.QueryViewsStreams");
      Object bean = bean(streamsBean);
      Object streams = streamsBean.getMethod("streams").invoke(bean);
      Method threads = api.loadClass("org.apache.kafka.streams.KafkaStreams").getMethod("metadataForLocalThreads");
      Method activeTasks = api.loadClass("org.apache.kafka.streams.ThreadMetadata").getMethod("activeTasks");
      Method topicPartitions = api.loadClass("org.apache.kafka.streams.TaskMetadata").getMethod("topicPartitions");
      Class<?> topicPartition = api.loadClass("org.apache.kafka.common.TopicPartition");
      Method topic = topicPartition.getMethod("topic");
      Method partition = topicPartition.getMethod("partition");
      Set<Integer> out = new TreeSet<>();
      for (Object thread : (Collection<?>) threads.invoke(streams)) {
        for (Object task : (Collection<?>) activeTasks.invoke(thread)) {
          for (Object tp : (Collection<?>) topicPartitions.invoke(task)) {
            if (deadLetterTopic.equals(topic.invoke(tp))) {
              out.add((Integer) partition.invoke(tp));
            }
          }
        }
      }
      return out;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the Kafka Streams metadata of " + name, e);
    }
  }

  /** Stops the instance (as on SIGTERM: Kafka Streams closed, state kept on disk). */
  @Override
  public void close() {
    try {
      context.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the instance's local state folder (it must be stopped). */
  void deleteState() {
    Folders.deleteRecursively(stateDir);
  }

  private static synchronized ClassLoader loader() {
    if (loader == null) {
      loader = new URLClassLoader("query-api", classpath(), ClassLoader.getPlatformClassLoader());
    }
    return loader;
  }

  /** The query-api jar and its runtime classpath, as the query-api's own build wrote it. */
  private static URL[] classpath() {
    try (var in = QueryApiInstance.class.getResourceAsStream("/" + QUERY_API_ENTRY_FILE)) {
      Path jar;
      if (in != null) {
        jar = Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      } else {
        jar = Path.of("query-api", "target", "classes");
      }
      Path runtime = jar.toAbsolutePath().getParent().resolve("runtime-classpath.txt");
      if (!Files.isRegularFile(runtime)) {
        throw new IllegalStateException("no " + runtime + "; build the query-api first (./bench builds it)");
      }
      List<URL> urls = new ArrayList<>();
      urls.add(jar.toUri().toURL());
      for (String part : Files.readString(runtime, StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
        if (!part.isBlank()) {
          urls.add(Path.of(part).toUri().toURL());
        }
      }
      return urls.toArray(URL[]::new);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
