/*
 * `entrypoint pty [--size COLSxROWS] [--resize-fd N] -- <command> [args...]`: runs a command on a new
 * pseudo-terminal (the server side of `kubectl exec -t`). The command is the session leader with the terminal as
 * its controlling tty; this process copies stdin to the terminal and the terminal to stdout. Lines "COLS ROWS" read
 * from the resize fd (when given) resize the terminal; without --size the first one is awaited (up to 1 s) before
 * the command starts. Exits with the command's code (128 + signal when killed).
 */
#include "entrypoint.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void set_size(int master, unsigned cols, unsigned rows) {
  struct winsize ws;
  if (cols == 0 || rows == 0) return;
  memset(&ws, 0, sizeof ws);
  ws.ws_col = (unsigned short)cols;
  ws.ws_row = (unsigned short)rows;
  ioctl(master, TIOCSWINSZ, &ws);
}

/* Applies every complete "COLS ROWS" line in `line`; keeps a partial line for the next read. */
static void apply_resizes(int master, char *line, size_t *len) {
  char *start = line, *nl;
  while ((nl = memchr(start, '\n', *len - (size_t)(start - line))) != NULL) {
    unsigned c = 0, r = 0;
    *nl = '\0';
    if (sscanf(start, "%u %u", &c, &r) == 2) set_size(master, c, r);
    start = nl + 1;
  }
  *len -= (size_t)(start - line);
  memmove(line, start, *len);
  if (*len >= 63) *len = 0;
}

/* Without --size, waits up to a second for the caller's first terminal size (kubectl sends it as soon as the
   streams are open), so that the command starts at the right size. */
static void first_size(int master, int resize_fd) {
  char line[64];
  size_t len = 0;
  int64_t deadline = mono_ns() + 1000000000LL;
  while (len < sizeof line - 1) {
    int64_t left_ms = (deadline - mono_ns()) / 1000000;
    struct pollfd p = {resize_fd, POLLIN, 0};
    if (left_ms <= 0 || poll(&p, 1, (int)left_ms) <= 0) return;
    ssize_t n = read(resize_fd, line + len, 1);
    if (n <= 0) return;
    if (line[len] == '\n') {
      unsigned c = 0, r = 0;
      line[len] = '\0';
      if (sscanf(line, "%u %u", &c, &r) == 2) set_size(master, c, r);
      return;
    }
    len++;
  }
}

static pid_t spawn_on_pty(const char *slave_name, char **argv) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  setsid();
  int slave = open(slave_name, O_RDWR);
  if (slave < 0) {
    warnx_("pty: cannot open %s: %s", slave_name, strerror(errno));
    _exit(126);
  }
  ioctl(slave, TIOCSCTTY, 0);
  dup2(slave, 0);
  dup2(slave, 1);
  dup2(slave, 2);
  if (slave > 2) close(slave);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  execvp(argv[0], argv);
  warnx_("pty: cannot run %s: %s", argv[0], strerror(errno));
  _exit(errno == ENOENT ? 127 : 126);
}

/* Copies between stdin, the terminal and stdout until the terminal closes; returns the command's exit code. */
static int relay(int master, int resize_fd, pid_t child) {
  char buf[8192], line[64];
  size_t line_len = 0;
  int in_open = 1;
  for (;;) {
    struct pollfd p[3] = {{master, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}, {resize_fd, POLLIN, 0}};
    if (poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0 && !(n < 0 && errno == EINTR)) break; /* EIO: every holder of the terminal closed it */
      if (n > 0 && write_all(1, buf, (size_t)n) != 0) break;
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(0, buf, sizeof buf);
      if (n <= 0) in_open = 0;
      else if (write_all(master, buf, (size_t)n) != 0) in_open = 0;
    }
    if (resize_fd >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(resize_fd, line + line_len, sizeof line - 1 - line_len);
      if (n <= 0) resize_fd = -1;
      else {
        line_len += (size_t)n;
        apply_resizes(master, line, &line_len);
      }
    }
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

int cmd_pty(int argc, char **argv) {
  unsigned cols = 0, rows = 0;
  int resize_fd = -1, i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
    if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
      if (sscanf(argv[++i], "%ux%u", &cols, &rows) != 2) cols = rows = 0;
    } else if (strcmp(argv[i], "--resize-fd") == 0 && i + 1 < argc) {
      resize_fd = atoi(argv[++i]);
    } else {
      warnx_("pty: unknown flag %s (usage: entrypoint pty [--size COLSxROWS] [--resize-fd N] -- command...)", argv[i]);
      return 2;
    }
  }
  if (i + 1 >= argc) {
    warnx_("pty: no command (usage: entrypoint pty [--size COLSxROWS] [--resize-fd N] -- command...)");
    return 2;
  }
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    warnx_("pty: cannot allocate a pseudo-terminal: %s", strerror(errno));
    return 126;
  }
  set_size(master, cols, rows);
  if (cols == 0 && resize_fd >= 0) first_size(master, resize_fd);
  const char *name = ptsname(master);
  if (name == NULL) {
    warnx_("pty: no terminal name: %s", strerror(errno));
    return 126;
  }
  pid_t child = spawn_on_pty(name, argv + i + 1);
  if (child < 0) {
    warnx_("pty: fork: %s", strerror(errno));
    return 126;
  }
  g_child = child;
  return relay(master, resize_fd, child);
}
