/*
 * Running the step's command: fork/exec in its own process group, optional copies of stdout/stderr
 * to files, the step timeout, and SIGCHLD through a self-pipe so that one poll loop sees everything.
 */
#include "entrypoint.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *g_cancel_file;
int g_cancelled;

/* True when the cancel file says CANCEL (the controller annotated the pod tekton.dev/cancel=CANCEL). */
int cancel_requested(void) {
  if (!g_cancel_file) return 0;
  size_t len = 0;
  char *v = read_file(g_cancel_file, &len);
  int yes = v && len >= 6 && strncmp(v, "CANCEL", 6) == 0;
  free(v);
  return yes;
}

/* A pipe copied to one of our own streams and to a file (-stdout_path / -stderr_path). */
struct tee {
  int rfd, wfd, file, out;
};

static void child_exec(char **argv, char **envp, struct tee *t, const sigset_t *mask) {
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  setpgid(0, 0);
  for (int i = 0; i < 2; i++)
    if (t[i].wfd >= 0) dup2(t[i].wfd, t[i].out);
  sigprocmask(SIG_SETMASK, mask, NULL);
  execvpe(argv[0], argv, envp);
  warnx_("exec %s: %s", argv[0], strerror(errno));
  _exit(127);
}

static int open_tee(struct tee *t, const char *path, int out) {
  int fds[2];
  t->rfd = t->wfd = t->file = -1;
  t->out = out;
  if (!path) return 0;
  mkdir_parent(path);
  t->file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (t->file < 0 || pipe2(fds, O_CLOEXEC) != 0) {
    warnx_("cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  t->rfd = fds[0];
  t->wfd = fds[1];
  return 0;
}

static void write_all(int fd, const char *p, ssize_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, (size_t)n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    p += w;
    n -= w;
  }
}

/* Copies what is readable on a tee pipe (1 when something was copied); closes it at end of file. */
static int pump(struct tee *t) {
  char chunk[16384];
  ssize_t r = read(t->rfd, chunk, sizeof chunk);
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
  if (r <= 0) {
    close(t->rfd);
    t->rfd = -1;
    return 0;
  }
  write_all(t->out, chunk, r);
  write_all(t->file, chunk, r);
  return 1;
}

/* Waits for the child while copying tee pipes and enforcing the deadline; returns the wait status. */
static int supervise(pid_t pid, struct tee *t, int64_t deadline, int *timed_out) {
  int status;
  while (1) {
    struct pollfd p[3] = {{g_chld_pipe[0], POLLIN, 0}, {t[0].rfd, POLLIN, 0}, {t[1].rfd, POLLIN, 0}};
    int ms = -1;
    if (deadline) {
      int64_t left = deadline - mono_ns();
      if (left <= 0) {
        kill(-pid, SIGKILL);
        *timed_out = 1;
        deadline = 0;
        continue;
      }
      ms = left / 1000000 >= INT32_MAX ? INT32_MAX : (int)(left / 1000000 + 1);
    }
    if (g_cancel_file && (ms < 0 || ms > 100)) ms = 100; /* the downward file has no event of its own to wait on */
    poll(p, 3, ms);
    if (!g_cancelled && cancel_requested()) {
      kill(-pid, SIGKILL);
      g_cancelled = 1;
    }
    char drain[64];
    while (read(g_chld_pipe[0], drain, sizeof drain) > 0) {
    }
    for (int i = 0; i < 2; i++)
      if (t[i].rfd >= 0 && (p[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) pump(&t[i]);
    if (waitpid(pid, &status, WNOHANG) == pid) break;
  }
  g_child = -1;
  for (int i = 0; i < 2; i++) { /* copy what is left; do not wait for grandchildren holding the pipe */
    if (t[i].rfd >= 0) fcntl(t[i].rfd, F_SETFL, O_NONBLOCK);
    while (t[i].rfd >= 0 && pump(&t[i])) {
    }
  }
  return status;
}

/*
 * Runs argv with envp; returns the exit code (128+N when killed by signal N, 127 when it cannot be
 * executed, 1 on a setup error). Sets *timed_out when timeout_ns (0 = none) expired and the child's
 * process group was killed.
 */
int run_child(char **argv, char **envp, const char *out_path, const char *err_path, int64_t timeout_ns,
              int *timed_out) {
  struct tee t[2];
  if (open_tee(&t[0], out_path, 1) != 0 || open_tee(&t[1], err_path, 2) != 0) return 1;
  int64_t deadline = timeout_ns > 0 ? mono_ns() + timeout_ns : 0;
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &old);
  pid_t pid = fork();
  if (pid == 0) child_exec(argv, envp, t, &old);
  if (pid > 0) {
    setpgid(pid, pid);
    g_child = pid;
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  for (int i = 0; i < 2; i++)
    if (t[i].wfd >= 0) close(t[i].wfd);
  if (pid < 0) {
    warnx_("fork: %s", strerror(errno));
    return 1;
  }
  int st = supervise(pid, t, deadline, timed_out);
  for (int i = 0; i < 2; i++)
    if (t[i].file >= 0) close(t[i].file);
  return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}
