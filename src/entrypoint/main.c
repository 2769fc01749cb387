/*
 * tektite step helper: entry point, signal handling and subcommand dispatch.
 *   entrypoint init [options] <src> <dst> [step names...]   (prepare init container)
 *   entrypoint decode-script <file>...                       (Tekton-compatible script decoding)
 *   entrypoint sidecar-log-results [flags]                    (results sidecar, results-from: sidecar-logs)
 *   entrypoint nsexec [flags] -- <command> [args...]          (kubectl exec into a host container; nsexec.c)
 *   entrypoint [step flags] -- <command> [args...]           (every step container)
 * See README.md for the flags.
 */
#include "entrypoint.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t g_term_sig = 0;
volatile pid_t g_child = 0;
int g_chld_pipe[2] = {-1, -1};

/* SIGTERM/SIGINT: exit at once while no child runs; else forward to the child's process group. */
static void on_term(int sig) {
  g_term_sig = sig;
  if (g_child == 0) _exit(128 + sig);
  if (g_child > 0) kill(-g_child, sig);
}

static void on_chld(int sig) {
  int saved = errno;
  char c = (char)sig;
  if (g_chld_pipe[1] >= 0 && write(g_chld_pipe[1], &c, 1) < 0) {
    /* the pipe is full: the loop wakes up anyway */
  }
  errno = saved;
}

static void install_term_handler(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

/* Creates the SIGCHLD self-pipe and installs its handler (step mode, before the fork). */
void install_chld_handler(void) {
  struct sigaction sa;
  if (pipe2(g_chld_pipe, O_NONBLOCK | O_CLOEXEC) != 0) return;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld;
  sa.sa_flags = SA_NOCLDSTOP;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
}

int main(int argc, char **argv) {
  install_term_handler(); /* first: as PID 1 without a handler, SIGTERM would be ignored */
  if (argc >= 2 && strcmp(argv[1], "init") == 0) return cmd_init(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "sidecar-log-results") == 0) return cmd_sidecar_log_results(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "decode-script") == 0) return cmd_decode_script(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "nsexec") == 0) return cmd_nsexec(argc - 1, argv + 1);
  return cmd_step(argc, argv);
}
