package io.stochastic.devops.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kube-devops completion bash|zsh}: a shell completion script on stdout. */
@Command(name = "completion",
    description = {"Print a shell completion script.",
        "bash: source <(kube-devops completion bash)",
        "zsh:  source <(kube-devops completion zsh)"})
final class CompletionCommand implements Runnable {
  enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public void run() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash("kube-devops", root);
    if (shell == Shell.zsh) {
      // picocli's script is bash; zsh runs it through its bash-completion emulation.
      script = "autoload -U +X compinit && compinit\n"
          + "autoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
  }
}
