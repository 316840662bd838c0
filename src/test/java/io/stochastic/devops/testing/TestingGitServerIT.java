package io.stochastic.devops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git server, used the way the sync component will: JGit clone, fetch and push. */
@IntegrationTest
class TestingGitServerIT {
  private static final String POLICY = "policies/namespaces/payments/policy.yaml";
  private static final String TRACKING = Constants.R_REMOTES + "origin/" + TestingGitServer.BRANCH;

  @Test
  void servesACloneOverFile(TestingGitServer server, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = server.createRepository("policies");
    String seeded = repo.commit("seed", Map.of(POLICY, "kind: DevOpsPolicy\n"));

    try (Git clone = Git.cloneRepository().setURI(repo.fileUri().toString()).setDirectory(dir.toFile()).call()) {
      assertThat(clone.getRepository().resolve(Constants.HEAD).name()).isEqualTo(seeded);
      assertThat(clone.getRepository().getBranch()).isEqualTo(TestingGitServer.BRANCH);
    }
    assertThat(dir.resolve(POLICY)).hasContent("kind: DevOpsPolicy");
  }

  @Test
  void servesACloneAndFetchesOverHttp(TestingGitServer server, @TempDir Path dir) throws Exception {
    TestingGitServer.Repo repo = server.createRepository("policies");
    repo.commit("seed", Map.of(POLICY, "v1\n"));

    try (Git clone = Git.cloneRepository().setURI(repo.httpUri().toString()).setDirectory(dir.toFile()).call()) {
      assertThat(dir.resolve(POLICY)).hasContent("v1");
      String second = repo.commit("bump", Map.of(POLICY, "v2\n", "policies/README.md", "x\n"));

      FetchResult fetched = clone.fetch().call();

      assertThat(fetched.getTrackingRefUpdate(TRACKING).getResult()).isEqualTo(RefUpdate.Result.FAST_FORWARD);
      assertThat(clone.getRepository().resolve(TRACKING).name()).isEqualTo(second);
    }
  }

  @Test
  void aHistoryRewriteOnTheServerIsAForcedUpdateForFetchers(TestingGitServer server, @TempDir Path dir)
      throws Exception {
    TestingGitServer.Repo repo = server.createRepository("policies");
    repo.commit("seed", Map.of(POLICY, "v1\n"));
    String bad = repo.commit("bad", Map.of(POLICY, "oops\n"));

    try (Git clone = Git.cloneRepository().setURI(repo.httpUri().toString()).setDirectory(dir.toFile()).call()) {
      String rewritten = repo.amend("good", Map.of(POLICY, "v2\n"));

      FetchResult fetched = clone.fetch().call();

      assertThat(rewritten).isNotEqualTo(bad);
      assertThat(fetched.getTrackingRefUpdate(TRACKING).getResult()).isEqualTo(RefUpdate.Result.FORCED);
      assertThat(clone.getRepository().resolve(TRACKING).name()).isEqualTo(rewritten);
    }
  }

  @Test
  void httpWantsTheCredentialsTheTestChose(@TempDir Path dir) throws Exception {
    try (TestingGitServer server = TestingGitServer.start("alice", "s3cret")) {
      TestingGitServer.Repo repo = server.createRepository("private");
      String seeded = repo.commit("seed", Map.of(POLICY, "v1\n"));
      String uri = repo.httpUri().toString();

      assertThatThrownBy(() -> Git.cloneRepository().setURI(uri).setDirectory(dir.resolve("none").toFile()).call())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("Authentication is required");
      assertThatThrownBy(() -> Git.cloneRepository().setURI(uri).setDirectory(dir.resolve("wrong").toFile())
              .setCredentialsProvider(new UsernamePasswordCredentialsProvider("alice", "guess")).call())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("not authorized");
      try (Git clone = Git.cloneRepository().setURI(uri).setDirectory(dir.resolve("right").toFile())
          .setCredentialsProvider(server.credentials()).call()) {
        assertThat(clone.getRepository().resolve(Constants.HEAD).name()).isEqualTo(seeded);
      }
    }
  }

  @Test
  void acceptsAPushAndAForcePushOverHttpWithCredentials(@TempDir Path dir) throws Exception {
    try (TestingGitServer server = TestingGitServer.start("sync-bot", "token-123")) {
      TestingGitServer.Repo repo = server.createRepository("policies");
      repo.commit("seed", Map.of(POLICY, "v1\n"));
      try (Git clone = Git.cloneRepository().setURI(repo.httpUri().toString()).setDirectory(dir.toFile())
          .setCredentialsProvider(server.credentials()).call()) {
        Files.writeString(dir.resolve(POLICY), "v2\n");
        RevCommit pushed = commitAll(clone, "v2", false);
        assertThat(status(push(clone, server, false))).isEqualTo(RemoteRefUpdate.Status.OK);
        assertThat(repo.head()).isEqualTo(pushed.name());

        Files.writeString(dir.resolve(POLICY), "v2 amended\n");
        RevCommit amended = commitAll(clone, "v2, amended", true);
        assertThat(status(push(clone, server, false))).isEqualTo(RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);
        assertThat(repo.head()).isEqualTo(pushed.name());

        assertThat(status(push(clone, server, true))).isEqualTo(RemoteRefUpdate.Status.OK);
        assertThat(repo.head()).isEqualTo(amended.name());
      }
    }
  }

  private static RevCommit commitAll(Git git, String message, boolean amend) throws Exception {
    PersonIdent me = new PersonIdent("tester", "tester@kube-devops.invalid");
    return git.commit().setAll(true).setAmend(amend).setMessage(message).setAuthor(me).setCommitter(me).call();
  }

  private static Iterable<PushResult> push(Git git, TestingGitServer server, boolean force) throws Exception {
    return git.push().setCredentialsProvider(server.credentials()).setForce(force).call();
  }

  private static RemoteRefUpdate.Status status(Iterable<PushResult> results) {
    PushResult result = results.iterator().next();
    return result.getRemoteUpdate(Constants.R_HEADS + TestingGitServer.BRANCH).getStatus();
  }

  @Test
  void anEmptyRepositoryHasNoHead(TestingGitServer server) {
    assertThat(server.createRepository("empty").head()).isNull();
    assertThat(ObjectId.isId(server.createRepository("seeded").commit("one", Map.of("a", "b")))).isTrue();
  }
}
