/*
 * The `init` and `decode-script` subcommands, run by the pod's `prepare` init container:
 * copy the helper into /tekton/bin, create the /tekton/steps symlinks, place scripts, create working dirs.
 */
#include "entrypoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Decodes standard base64 (whitespace ignored, '=' ends the data); returns the length or -1. */
long base64_decode(const char *in, size_t n, char *out) {
  unsigned acc = 0;
  int bits = 0;
  long len = 0;
  for (size_t i = 0; i < n && in[i] != '='; i++) {
    int c = (unsigned char)in[i], v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    else return -1;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[len++] = (char)((acc >> bits) & 0xff);
    }
  }
  return len;
}

/* Writes the decoded base64 text `b64` to `path` with mode 0755. */
static int place_script(const char *path, const char *b64) {
  size_t n = strlen(b64);
  char *data = malloc(n + 1);
  long len = data ? base64_decode(b64, n, data) : -1;
  int rc = len < 0 ? -1 : write_file(path, data, (size_t)len, 0755);
  if (rc == 0) rc = chmod(path, 0755);
  free(data);
  if (rc != 0) warnx_("cannot place script %s: %s", path, len < 0 ? "bad base64" : strerror(errno));
  return rc;
}

/* Copies src to dst (mode 0755) through a temporary file and a rename. */
static int copy_self(const char *src, const char *dst) {
  size_t len;
  char *data = read_file(src, &len);
  if (!data) {
    warnx_("cannot read %s: %s", src, strerror(errno));
    return -1;
  }
  char *tmp = str_printf("%s.tmp%ld", dst, (long)getpid());
  int rc = write_file(tmp, data, len, 0755);
  if (rc == 0) rc = chmod(tmp, 0755);
  if (rc == 0) rc = rename(tmp, dst);
  if (rc != 0) {
    warnx_("cannot copy %s to %s: %s", src, dst, strerror(errno));
    unlink(tmp);
  }
  free(tmp);
  free(data);
  return rc;
}

/* (Re)creates the symlink link -> target. */
static int make_link(const char *target, const char *link) {
  unlink(link);
  if (symlink(target, link) == 0) return 0;
  warnx_("cannot link %s -> %s: %s", link, target, strerror(errno));
  return -1;
}

/* Links <steps_dir>/<name> and <steps_dir>/<i> to <run_dir>/<i>/status. */
static int link_step(const char *steps_dir, const char *run_dir, const char *name, int i) {
  char *target = str_printf("%s/%d/status", run_dir, i);
  char *by_name = str_printf("%s/%s", steps_dir, name);
  char *by_index = str_printf("%s/%d", steps_dir, i);
  mkdir_p(target, 0755); /* best effort: the run volume may not be mounted here */
  int rc = make_link(target, by_name) | make_link(target, by_index);
  free(target);
  free(by_name);
  free(by_index);
  return rc;
}

struct init_args {
  const char *steps_dir, *run_dir;
  const char *pos[2];
  int npos;
  char **names;
  int nnames;
};

/* Applies one option at argv[i]; returns how many arguments it used, or -1. */
static int init_option(int argc, char **argv, int i, struct init_args *a, int *rc) {
  const char *o = argv[i];
  if (strcmp(o, "-script") == 0 && i + 2 < argc) {
    if (place_script(argv[i + 1], argv[i + 2]) != 0) *rc = 1;
    return 3;
  }
  if (strcmp(o, "-workdir") == 0 && i + 1 < argc) {
    if (mkdir_p(argv[i + 1], 0777) != 0) warnx_("cannot create working dir %s: %s", argv[i + 1], strerror(errno));
    return 2;
  }
  if (strcmp(o, "-steps_dir") == 0 && i + 1 < argc) {
    a->steps_dir = argv[i + 1];
    return 2;
  }
  if (strcmp(o, "-run_dir") == 0 && i + 1 < argc) {
    a->run_dir = argv[i + 1];
    return 2;
  }
  warnx_("init: unknown or incomplete option %s", o);
  return -1;
}

/* init [-script FILE BASE64]... [-workdir DIR]... [-steps_dir D] [-run_dir D] <src> <dst> [step names...] */
int cmd_init(int argc, char **argv) {
  struct init_args a = {"/tekton/steps", "/tekton/run", {0}, 0, NULL, 0};
  int rc = 0;
  a.names = calloc((size_t)argc, sizeof *a.names);
  for (int i = 1; i < argc;) {
    if (argv[i][0] == '-') {
      int used = init_option(argc, argv, i, &a, &rc);
      if (used < 0) return 2;
      i += used;
    } else if (a.npos < 2) {
      a.pos[a.npos++] = argv[i++];
    } else {
      a.names[a.nnames++] = argv[i++];
    }
  }
  if (a.npos < 2) {
    warnx_("usage: init [options] <src> <dst> [step names...]");
    return 2;
  }
  if (strcmp(a.pos[0], a.pos[1]) != 0 && copy_self(a.pos[0], a.pos[1]) != 0) rc = 1;
  if (a.nnames > 0 && mkdir_p(a.steps_dir, 0755) != 0) {
    warnx_("cannot create %s: %s", a.steps_dir, strerror(errno));
    return 1;
  }
  for (int i = 0; i < a.nnames; i++)
    if (link_step(a.steps_dir, a.run_dir, a.names[i], i) != 0) rc = 1;
  free(a.names);
  return rc;
}

/* decode-script <file>...: decodes each base64 file in place, keeping its mode (Tekton compatible). */
int cmd_decode_script(int argc, char **argv) {
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    size_t n;
    char *data = read_file(argv[i], &n);
    long len = data ? base64_decode(data, n, data) : -1;
    struct stat st;
    mode_t mode = stat(argv[i], &st) == 0 ? (st.st_mode & 07777) : 0755;
    if (len < 0 || write_file(argv[i], data, (size_t)len, mode) != 0) {
      warnx_("cannot decode %s", argv[i]);
      rc = 1;
    }
    free(data);
  }
  return argc < 2 ? 2 : rc;
}
