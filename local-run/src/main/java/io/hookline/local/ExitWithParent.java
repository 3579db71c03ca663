package io.hookline.local;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Wrapper main class of every child JVM the local run starts: it ties the child's life to its
 * parent, then runs the real main class (a Hookline service, or {@code kafka.Kafka}, whose main we
 * cannot change) in the same JVM.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>No orphans: when the parent process exits for any reason, SIGKILL included, the child
 *       calls {@code System.exit(0)}, so its own shutdown hooks run (the broker and the services
 *       shut down cleanly). If that takes longer than {@link #HALT_AFTER_PARENT_EXIT}, the child
 *       halts: nobody else is left to stop it.
 *   <li>Ordered shutdown on Ctrl-C: the terminal sends SIGINT to the whole foreground process
 *       group, children included. Children ignore SIGINT, so only the parent reacts and stops them
 *       in order (services first, then the broker) with SIGTERM.
 * </ul>
 *
 * <p>The parent's pid comes from the system property {@value #PARENT_PID_PROPERTY} (set by {@link
 * ChildJvm}); without it, the process that started this JVM is watched.
 */
public final class ExitWithParent {

  /** System property holding the pid of the process this JVM must not outlive. */
  public static final String PARENT_PID_PROPERTY = "hookline.local.parent-pid";

  static final java.time.Duration HALT_AFTER_PARENT_EXIT = java.time.Duration.ofSeconds(30);

  private ExitWithParent() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ExitWithParent <main class> [arguments...]");
      System.exit(2);
    }
    ProcessHandle parent = parent().orElse(null);
    if (parent == null || !parent.isAlive()) {
      System.err.println("ExitWithParent: the parent process is already gone; not starting " + args[0]);
      System.exit(3);
    }
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    // The main class is initialised before anything here loads CompletableFuture: its static
    // initialiser may set properties the JDK reads once, when those classes load (the dispatcher
    // sets the common ForkJoinPool's parallelism, which CompletableFuture reads).
    Class<?> main = Class.forName(args[0]);
    parent
        .onExit()
        .thenRun(
            () -> {
              // Exit from a fresh thread: System.exit blocks until the shutdown hooks are done.
              Thread exit =
                  new Thread(
                      () -> {
                        System.err.println(
                            "ExitWithParent: parent process " + parent.pid() + " exited; shutting down");
                        haltIfShutdownHangs();
                        System.exit(0);
                      },
                      "exit-with-parent");
              exit.start();
            });
    runMain(main, Arrays.copyOfRange(args, 1, args.length));
  }

  private static Optional<ProcessHandle> parent() {
    String pid = System.getProperty(PARENT_PID_PROPERTY);
    if (pid != null && !pid.isBlank()) {
      return ProcessHandle.of(Long.parseLong(pid.trim()));
    }
    return ProcessHandle.current().parent();
  }

  private static void haltIfShutdownHangs() {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(HALT_AFTER_PARENT_EXIT.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.err.println("ExitWithParent: shutdown took longer than " + HALT_AFTER_PARENT_EXIT + "; halting");
              Runtime.getRuntime().halt(1);
            },
            "exit-with-parent-halt");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void runMain(Class<?> mainClass, String[] args) throws Throwable {
    Method main = mainClass.getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
