package io.stochastic.devops.testing;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bare Git repositories in a temporary directory, served over {@code file://} and over HTTP by
 * the real {@code git http-backend} (smart HTTP: clone, fetch, push, force-push) behind a small
 * 127.0.0.1 server, optionally with basic authentication. Tests seed repositories with {@link
 * Repo#commit} and clone or fetch them the way the sync component does.
 */
public final class TestingGitServer implements AutoCloseable {
  /** System property naming the git binary when it is not on PATH. */
  public static final String GIT_PROPERTY = "kube-devops.test.git";
  /** The branch repositories are created with. */
  public static final String BRANCH = "main";

  private static final PersonIdent AUTHOR = new PersonIdent("kube-devops tests", "tests@kube-devops.invalid");
  /** Request headers passed to the CGI program, by the variable that carries them. */
  private static final Map<String, String> CGI_HEADERS =
      Map.of(
          "CONTENT_TYPE", "Content-Type",
          "CONTENT_LENGTH", "Content-Length",
          "HTTP_CONTENT_ENCODING", "Content-Encoding",
          "GIT_PROTOCOL", "Git-Protocol");
  private static final Logger LOG = LoggerFactory.getLogger(TestingGitServer.class);

  private final Path git;
  private final Path root;
  private final Path log;
  private final String user;
  private final String password;
  private final ExecutorService executor;
  private final HttpServer http;

  private TestingGitServer(Path git, String user, String password) throws IOException {
    this.git = git;
    this.user = user;
    this.password = password;
    this.root = Files.createTempDirectory("git-server-");
    this.log = root.resolve("http-backend.log");
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "testing-git-server");
      thread.setDaemon(true);
      return thread;
    });
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(executor);
    HttpContext context = http.createContext("/", this::serve);
    if (user != null) {
      context.setAuthenticator(
          new BasicAuthenticator("kube-devops test git") {
            @Override
            public boolean checkCredentials(String name, String secret) {
              return user.equals(name) && password.equals(secret);
            }
          });
    }
    http.start();
  }

  /** A server that answers anyone over HTTP. */
  public static TestingGitServer start() {
    return create(null, null);
  }

  /** A server whose HTTP side wants basic authentication as {@code user} / {@code password}. */
  public static TestingGitServer start(String user, String password) {
    if (user == null || password == null) {
      throw new IllegalArgumentException("user and password are required");
    }
    return create(user, password);
  }

  private static TestingGitServer create(String user, String password) {
    Path git = Executables.require(GIT_PROPERTY, "install git (Debian package git)", List.of("git"));
    try {
      return new TestingGitServer(git, user, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the git server", e);
    }
  }

  /** Credentials the HTTP side accepts (for JGit's {@code setCredentialsProvider}). */
  public CredentialsProvider credentials() {
    if (user == null) {
      throw new IllegalStateException("this git server takes no credentials: start it with a user and password");
    }
    return new UsernamePasswordCredentialsProvider(user, password);
  }

  /** Creates an empty bare repository {@code name}.git whose HEAD is {@link #BRANCH}. */
  public Repo createRepository(String name) {
    Path dir = root.resolve(name + ".git");
    try (Git created = Git.init().setBare(true).setInitialBranch(BRANCH).setDirectory(dir.toFile()).call()) {
      StoredConfig config = created.getRepository().getConfig();
      // Pushes are authorised (or not) by the HTTP layer above; http-backend may accept them all.
      config.setBoolean("http", null, "receivepack", true);
      config.save();
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException("cannot create repository " + dir, e);
    }
    return new Repo(name, dir);
  }

  /** What {@code git http-backend} wrote to stderr so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  @Override
  public void close() throws IOException {
    http.stop(0);
    executor.shutdownNow();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try {
      runHttpBackend(exchange);
    } catch (IOException | RuntimeException e) {
      // The JDK server only drops the connection: say why, for the test that sees it dropped.
      LOG.warn("{} {} failed; git http-backend said: {}", exchange.getRequestMethod(), exchange.getRequestURI(), log(), e);
      throw e;
    }
  }

  /** Runs {@code git http-backend} as a CGI program for one request. */
  private void runHttpBackend(HttpExchange exchange) throws IOException {
    try (exchange) {
      ProcessBuilder cgi = new ProcessBuilder(git.toString(), "http-backend").directory(root.toFile());
      cgi.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> env = cgi.environment();
      env.keySet().removeIf(name -> !name.equals("PATH"));
      env.put("HOME", root.toString());
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.put("GIT_PROJECT_ROOT", root.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
      env.put("REMOTE_ADDR", exchange.getRemoteAddress().getAddress().getHostAddress());
      HttpPrincipal principal = exchange.getPrincipal();
      if (principal != null) {
        env.put("REMOTE_USER", principal.getUsername());
      }
      CGI_HEADERS.forEach(
          (variable, header) -> {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
              env.put(variable, value);
            }
          });
      Process process = cgi.start();
      CompletableFuture<Void> request =
          CompletableFuture.runAsync(
              () -> {
                try (InputStream body = exchange.getRequestBody(); OutputStream stdin = process.getOutputStream()) {
                  body.transferTo(stdin);
                } catch (IOException e) {
                  throw new UncheckedIOException("cannot pass the request body to git http-backend", e);
                }
              },
              executor);
      try (InputStream stdout = new BufferedInputStream(process.getInputStream())) {
        int status = 200;
        boolean headers = false;
        for (String line = readLine(stdout); !line.isEmpty(); line = readLine(stdout)) {
          headers = true;
          int colon = line.indexOf(':');
          String name = line.substring(0, colon).trim();
          String value = line.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Status")) {
            status = Integer.parseInt(value.split(" ", 2)[0]);
          } else {
            exchange.getResponseHeaders().add(name, value);
          }
        }
        if (!headers) {
          status = 500;
        }
        exchange.sendResponseHeaders(status, 0);
        stdout.transferTo(exchange.getResponseBody());
      }
      request.join();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while serving " + exchange.getRequestURI(), e);
    }
  }

  /** One CGI header line without its line end; empty at the blank line or at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** A bare repository of this server. */
  public final class Repo {
    private final String name;
    private final Path directory;

    private Repo(String name, Path directory) {
      this.name = name;
      this.directory = directory;
    }

    public String name() {
      return name;
    }

    /** The bare repository's directory. */
    public Path directory() {
      return directory;
    }

    public URI fileUri() {
      return directory.toUri();
    }

    /** {@code http://127.0.0.1:port/name.git}. */
    public URI httpUri() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/" + name + ".git");
    }

    /** The commit {@link #BRANCH} points at, or null while the repository is empty. */
    public String head() {
      try (Repository repository = open()) {
        ObjectId head = repository.resolve(Constants.R_HEADS + BRANCH);
        return head == null ? null : head.name();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + directory, e);
      }
    }

    /**
     * Commits a tree of exactly {@code files} (path → content) on top of {@link #BRANCH}, as if
     * someone pushed it; returns the commit id.
     */
    public String commit(String message, Map<String, String> files) {
      return write(message, files, false);
    }

    /**
     * Replaces the tip of {@link #BRANCH} with a commit of {@code files} on the tip's parent, as
     * {@code git commit --amend && git push --force} would: history is rewritten.
     */
    public String amend(String message, Map<String, String> files) {
      return write(message, files, true);
    }

    private String write(String message, Map<String, String> files, boolean replaceTip) {
      try (Repository repository = open();
          ObjectInserter inserter = repository.newObjectInserter();
          RevWalk walk = new RevWalk(repository)) {
        ObjectId tip = repository.resolve(Constants.R_HEADS + BRANCH);
        if (replaceTip && tip == null) {
          throw new IllegalStateException(name + " has no commit to amend");
        }
        DirCache index = DirCache.newInCore();
        DirCacheBuilder tree = index.builder();
        for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
          DirCacheEntry entry = new DirCacheEntry(file.getKey());
          entry.setFileMode(FileMode.REGULAR_FILE);
          entry.setObjectId(
              inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
          tree.add(entry);
        }
        tree.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        commit.setAuthor(AUTHOR);
        commit.setCommitter(AUTHOR);
        commit.setMessage(message);
        if (tip != null) {
          RevCommit tipCommit = walk.parseCommit(tip);
          if (!replaceTip) {
            commit.setParentId(tip);
          } else if (tipCommit.getParentCount() > 0) {
            commit.setParentId(tipCommit.getParent(0));
          }
        }
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        RefUpdate update = repository.updateRef(Constants.R_HEADS + BRANCH);
        update.setNewObjectId(id);
        update.setExpectedOldObjectId(tip == null ? ObjectId.zeroId() : tip);
        update.setForceUpdate(replaceTip);
        update.setRefLogMessage(message, false);
        RefUpdate.Result result = update.update(walk);
        if (!List.of(RefUpdate.Result.NEW, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.FORCED)
            .contains(result)) {
          throw new IllegalStateException("cannot move " + BRANCH + " of " + name + ": " + result);
        }
        return id.name();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot commit to " + directory, e);
      }
    }

    private Repository open() throws IOException {
      return new FileRepositoryBuilder().setGitDir(directory.toFile()).setMustExist(true).build();
    }

    @Override
    public String toString() {
      return name + " at " + httpUri();
    }
  }
}
