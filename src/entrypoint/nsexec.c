/*
 * `entrypoint nsexec`: runs a command inside a running host-runtime container (kubectl exec / attach's
 * sibling), or only under a new pseudo-terminal (the engine runtimes' `podman exec -it`). Runs on the host,
 * started by the kubelet; never inside a container.
 *
 *   entrypoint nsexec [-holder PID] [-target PID] [-uid N] [-gid N] [-caps HEX|all] [-seccomp_fd N]
 *                     [-cwd DIR] [-tty] [-resize_fd N] -- command [args...]
 *
 * -holder: the pod network's holder process; its user and network namespaces are entered first (the container's
 *   user namespace is a child of the holder's).
 * -target: the container's first process (bwrap's PID 1); its user, IPC, UTS, PID and mount namespaces and its
 *   root are entered, then the command gets exactly the container's restrictions: uid/gid, no supplementary
 *   groups, the capability set in every set (bounding, permitted, effective, inheritable, ambient, as bubblewrap
 *   gives them), no_new_privs and the seccomp program read from -seccomp_fd. Without -target nothing is entered.
 * -tty: the command runs as a session leader on a new pseudo-terminal (allocated in the container's /dev/pts when
 *   -target is given); this process relays stdin to it and its output to stdout. -resize_fd: lines "COLS ROWS"
 *   set the terminal size.
 * Exit: the command's code (128+N when killed by signal N); 126 when it cannot be started, 127 when not found;
 * 125 when the container cannot be entered.
 */
#include "entrypoint.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif
#define SECCOMP_MODE_FILTER_ 2
#define CAP_VERSION_3 0x20080522

struct cap_header {
  uint32_t version;
  int pid;
};
struct cap_data {
  uint32_t effective, permitted, inheritable;
};
struct bpf_insn {
  uint16_t code;
  uint8_t jt, jf;
  uint32_t k;
};
struct bpf_prog {
  unsigned short len;
  struct bpf_insn *filter;
};

struct opts {
  pid_t holder, target;
  uid_t uid;
  gid_t gid;
  uint64_t caps;
  int seccomp_fd, resize_fd, tty;
  const char *cwd;
};

static volatile sig_atomic_t g_forward_pid = 0;

static void forward(int sig) {
  if (g_forward_pid > 0) kill(g_forward_pid, sig);
}

static int fail(int code, const char *what) {
  fprintf(stderr, "tektite exec: %s: %s\n", what, strerror(errno));
  return code;
}

static int open_ns(pid_t pid, const char *ns) {
  char p[64];
  snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)pid, ns);
  return open(p, O_RDONLY | O_CLOEXEC);
}

/* Enters the namespace behind fd unless this process is already in it. */
static int enter(int fd, const char *ns, int type) {
  char p[64];
  struct stat a, b;
  snprintf(p, sizeof p, "/proc/self/ns/%s", ns);
  if (fstat(fd, &a) == 0 && stat(p, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) return 0;
  return setns(fd, type);
}

#define NS_GET_USERNS_ (0xb7 << 8 | 0x1)

/*
 * Enters the holder's namespaces, then the container's (their owning user namespace first: bubblewrap may nest the
 * process's own user namespace inside the one that owns its IPC, UTS, PID and mount namespaces), then the
 * container's own user namespace and root; 0 or an exit code.
 */
static int enter_container(const struct opts *o) {
  static const struct {
    const char *name;
    int type;
  } kinds[] = {{"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS}};
  int hu = -1, hn = -1, fds[4];
  /* before anything else: no supplementary groups of ours leak in (fails harmlessly without privileges, where the
   * container has the same groups) */
  if (setgroups(0, NULL) != 0 && errno != EPERM) return fail(125, "setgroups");
  if (o->holder > 0 && ((hu = open_ns(o->holder, "user")) < 0 || (hn = open_ns(o->holder, "net")) < 0)) return fail(125, "the pod's network namespace is gone");
  for (int i = 0; i < 4; i++)
    if ((fds[i] = open_ns(o->target, kinds[i].name)) < 0) return fail(125, "the container is not running");
  int own = open_ns(o->target, "user");
  int owner = ioctl(fds[3], NS_GET_USERNS_);
  char rp[64];
  snprintf(rp, sizeof rp, "/proc/%d/root", (int)o->target);
  int root = open(rp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (own < 0 || owner < 0 || root < 0) return fail(125, "the container is not running");
  if (hu >= 0 && (enter(hu, "user", CLONE_NEWUSER) != 0 || enter(hn, "net", CLONE_NEWNET) != 0)) return fail(125, "entering the pod's network");
  if (enter(owner, "user", CLONE_NEWUSER) != 0) return fail(125, "entering the container's user namespace");
  for (int i = 0; i < 4; i++)
    if (enter(fds[i], kinds[i].name, kinds[i].type) != 0) return fail(125, kinds[i].name);
  /* (/proc is the container's now, where this process is not visible: compare with the owner instead) */
  struct stat so, sw;
  int nested = fstat(own, &so) == 0 && fstat(owner, &sw) == 0 && (so.st_ino != sw.st_ino || so.st_dev != sw.st_dev);
  if (nested && setns(own, CLONE_NEWUSER) != 0) return fail(125, "entering the container's user namespace");
  if (fchdir(root) != 0 || chroot(".") != 0) return fail(125, "entering the container's root");
  if (chdir(o->cwd ? o->cwd : "/") != 0) return fail(125, o->cwd ? o->cwd : "/");
  return 0;
}

static int capset_all(uint64_t mask) {
  struct cap_header h = {CAP_VERSION_3, 0};
  struct cap_data d[2];
  for (int i = 0; i < 2; i++) {
    uint32_t v = (uint32_t)(mask >> (32 * i));
    d[i].effective = d[i].permitted = d[i].inheritable = v;
  }
  return (int)syscall(SYS_capset, &h, d);
}

/* The container's restrictions (see the top comment); exits 125 when one cannot be applied. */
static void restrict_to_container(const struct opts *o, const struct buf *seccomp) {
  for (int c = 0; c < 64; c++)
    if (!(o->caps & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) _exit(fail(125, "dropping capabilities"));
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) _exit(fail(125, "keepcaps"));
  if (setresgid(o->gid, o->gid, o->gid) != 0) _exit(fail(125, "setting the group"));
  if (setresuid(o->uid, o->uid, o->uid) != 0) _exit(fail(125, "setting the user"));
  /* capabilities the kernel does not know are not in the bounding set any more: keep only the known ones */
  uint64_t known = 0;
  for (int c = 0; c < 64; c++)
    if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1) known |= 1ULL << c;
  uint64_t caps = o->caps & known;
  if (capset_all(caps) != 0) _exit(fail(125, "setting capabilities"));
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  for (int c = 0; c < 64; c++)
    if ((caps & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) != 0) _exit(fail(125, "ambient capabilities"));
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(fail(125, "no_new_privs"));
  if (!seccomp->n) return;
  struct bpf_prog prog = {(unsigned short)(seccomp->n / sizeof(struct bpf_insn)), (struct bpf_insn *)seccomp->p};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER_, &prog, 0, 0) != 0) _exit(fail(125, "seccomp"));
}

/* Reads the seccomp program from its file descriptor (empty without one). */
static void read_seccomp(int fd, struct buf *b) {
  char chunk[4096];
  ssize_t n;
  if (fd < 0) return;
  while ((n = read(fd, chunk, sizeof chunk)) > 0) buf_put(b, chunk, (size_t)n);
  close(fd);
  if (n < 0 || b->n == 0 || b->n % sizeof(struct bpf_insn) != 0) {
    fprintf(stderr, "tektite exec: cannot read the seccomp program\n");
    _exit(125);
  }
}

/* Closes every file descriptor above stderr: nothing of the kubelet's reaches the command. */
static void close_others(void) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  for (int fd = 3; fd < 4096; fd++) close(fd);
}

static void child(const struct opts *o, int master, char **argv) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  struct buf seccomp = {0};
  read_seccomp(o->seccomp_fd, &seccomp);
  if (o->tty) {
    char *name = ptsname(master);
    if (setsid() < 0 || !name) _exit(fail(125, "new session"));
    int slave = open(name, O_RDWR);
    if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) != 0) _exit(fail(125, "opening the terminal"));
    for (int fd = 0; fd < 3; fd++) dup2(slave, fd);
  }
  close_others();
  if (o->target > 0) restrict_to_container(o, &seccomp);
  execvp(argv[0], argv);
  int code = errno == ENOENT ? 127 : 126;
  if (errno == ENOENT && !strchr(argv[0], '/'))
    fprintf(stderr, "exec: \"%s\": executable file not found in $PATH\n", argv[0]);
  else
    fprintf(stderr, "exec: \"%s\": %s\n", argv[0], strerror(errno));
  _exit(code);
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Applies every complete "COLS ROWS" line of the resize stream. */
static void apply_resize(int master, struct buf *pending) {
  char *nl;
  while (pending->n && (nl = memchr(pending->p, '\n', pending->n))) {
    unsigned cols = 0, rows = 0;
    *nl = '\0';
    if (sscanf(pending->p, "%u %u", &cols, &rows) == 2) {
      struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
      ioctl(master, TIOCSWINSZ, &ws);
    }
    size_t used = (size_t)(nl - pending->p) + 1;
    memmove(pending->p, nl + 1, pending->n - used);
    pending->n -= used;
  }
}

/* Waits up to a second for the client's first terminal size, so that the command starts with it. */
static void first_size(int master, int resize_fd, struct buf *pending) {
  char chunk[256];
  int64_t deadline = mono_ns() + 1000000000LL;
  while (!(pending->n && memchr(pending->p, '\n', pending->n))) {
    int64_t left = (deadline - mono_ns()) / 1000000;
    if (left <= 0) return;
    struct pollfd p = {resize_fd, POLLIN, 0};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return;
    ssize_t n = read(resize_fd, chunk, sizeof chunk);
    if (n <= 0) return;
    buf_put(pending, chunk, (size_t)n);
  }
  apply_resize(master, pending);
}

/* Relays stdin -> terminal, terminal -> stdout and resize lines until the command has exited and its output is read. */
static void relay(int master, int resize_fd, pid_t pid, int *status, struct buf pending) {
  int in_open = 1, exited = 0;
  char chunk[8192];
  for (;;) {
    if (!exited && waitpid(pid, status, WNOHANG) == pid) exited = 1;
    struct pollfd p[3] = {{master, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}, {resize_fd, POLLIN, 0}};
    int r = poll(p, 3, exited ? 50 : 200);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0 && exited) return; /* nothing more after the exit (descendants may hold the terminal) */
    if (p[2].revents) {
      ssize_t n = read(resize_fd, chunk, sizeof chunk);
      if (n > 0) {
        buf_put(&pending, chunk, (size_t)n);
        apply_resize(master, &pending);
      } else {
        resize_fd = -1;
      }
    }
    if (p[1].revents) {
      ssize_t n = read(0, chunk, sizeof chunk);
      if (n > 0) {
        write_all(master, chunk, (size_t)n);
      } else {
        in_open = 0;
        write_all(master, "\004", 1); /* end of input: the terminal's EOF character */
      }
    }
    if (p[0].revents) {
      ssize_t n = read(master, chunk, sizeof chunk);
      if (n > 0) {
        if (write_all(1, chunk, (size_t)n) != 0) return;
      } else if (!(n < 0 && errno == EINTR)) {
        if (!exited) waitpid(pid, status, 0);
        return;
      }
    }
  }
}

static int parse_opts(int argc, char **argv, struct opts *o, int *first) {
  memset(o, 0, sizeof *o);
  o->seccomp_fd = o->resize_fd = -1;
  o->caps = ~0ULL;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-') break;
    if (strcmp(a, "-tty") == 0) {
      o->tty = 1;
      continue;
    }
    if (i + 1 >= argc) return -1;
    const char *v = argv[++i];
    if (strcmp(a, "-holder") == 0) o->holder = (pid_t)atoi(v);
    else if (strcmp(a, "-target") == 0) o->target = (pid_t)atoi(v);
    else if (strcmp(a, "-uid") == 0) o->uid = (uid_t)strtoul(v, NULL, 10);
    else if (strcmp(a, "-gid") == 0) o->gid = (gid_t)strtoul(v, NULL, 10);
    else if (strcmp(a, "-caps") == 0) o->caps = strcmp(v, "all") == 0 ? ~0ULL : strtoull(v, NULL, 16);
    else if (strcmp(a, "-seccomp_fd") == 0) o->seccomp_fd = atoi(v);
    else if (strcmp(a, "-resize_fd") == 0) o->resize_fd = atoi(v);
    else if (strcmp(a, "-cwd") == 0) o->cwd = v;
    else return -1;
  }
  *first = i;
  return i < argc ? 0 : -1;
}

int cmd_nsexec(int argc, char **argv) {
  struct opts o;
  int first;
  if (parse_opts(argc, argv, &o, &first) != 0) {
    fprintf(stderr, "usage: entrypoint nsexec [-holder PID] [-target PID] [-uid N] [-gid N] [-caps HEX|all] [-seccomp_fd N] [-cwd DIR] [-tty] [-resize_fd N] -- command [args...]\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (o.target > 0) {
    int r = enter_container(&o);
    if (r) return r;
  }
  int master = -1;
  if (o.tty) {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return fail(125, "allocating a terminal");
  }
  struct buf pending = {0};
  if (o.tty && o.resize_fd >= 0) first_size(master, o.resize_fd, &pending);
  pid_t pid = fork();
  if (pid < 0) return fail(125, "fork");
  if (pid == 0) child(&o, master, argv + first);
  /* this process only relays from now on: no capabilities, not inspectable */
  if (o.target > 0) {
    capset_all(0);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  }
  if (o.seccomp_fd >= 0) close(o.seccomp_fd);
  g_forward_pid = pid;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = forward;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  int status = 0;
  if (o.tty) {
    relay(master, o.resize_fd, pid, &status, pending);
  } else {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}
