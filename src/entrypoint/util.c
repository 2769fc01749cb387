/* Small file, time and string helpers for the step helper. */
#include "entrypoint.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) {
    fputs("entrypoint: out of memory\n", stderr);
    _exit(1);
  }
  return q;
}

void buf_put(struct buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = xrealloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_put(b, s, strlen(s)); }

/* Prints "entrypoint: <message>" on stderr. */
void warnx_(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("entrypoint: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* Formats into a new heap string. */
char *str_printf(const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = xrealloc(NULL, (size_t)n + 1);
  vsnprintf(s, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return s;
}

/* mkdir -p; 0 on success (also when the directory exists). */
int mkdir_p(const char *path, mode_t mode) {
  char tmp[PATH_MAX];
  size_t len = strlen(path);
  if (len == 0 || len >= sizeof tmp) return -1;
  memcpy(tmp, path, len + 1);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(tmp, mode) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(tmp, mode) != 0 && errno != EEXIST) return -1;
  return 0;
}

/* Creates the parent directories of a file path. */
int mkdir_parent(const char *path) {
  char tmp[PATH_MAX];
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return 0;
  size_t len = (size_t)(slash - path);
  if (len >= sizeof tmp) return -1;
  memcpy(tmp, path, len);
  tmp[len] = '\0';
  return mkdir_p(tmp, 0755);
}

/* Reads a whole file into a NUL-terminated heap buffer; NULL when it cannot be read. */
char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct buf b = {0};
  char chunk[8192];
  ssize_t r;
  buf_put(&b, "", 0);
  while ((r = read(fd, chunk, sizeof chunk)) != 0) {
    if (r < 0) {
      if (errno == EINTR) continue;
      close(fd);
      free(b.p);
      return NULL;
    }
    buf_put(&b, chunk, (size_t)r);
  }
  close(fd);
  if (len) *len = b.n;
  return b.p;
}

/* Writes (creates or truncates) a file, creating its parent directories; 0 on success. */
int write_file(const char *path, const char *data, size_t n, mode_t mode) {
  mkdir_parent(path);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  while (n > 0) {
    ssize_t w = write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      close(fd);
      return -1;
    }
    data += w;
    n -= (size_t)w;
  }
  return close(fd);
}

/* Monotonic clock in nanoseconds. */
int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* UTC wall time as 2006-01-02T15:04:05.000Z. */
void format_time(char *out, size_t size) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static double unit_ns(const char **p) {
  static const struct { const char *u; double ns; } units[] = {
    {"ns", 1}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3}, {"ms", 1e6},
    {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    size_t l = strlen(units[i].u);
    /* "m" must not swallow the "m" of "ms" */
    if (strncmp(*p, units[i].u, l) == 0 && !(l == 1 && (*p)[0] == 'm' && (*p)[1] == 's')) {
      *p += l;
      return units[i].ns;
    }
  }
  return -1;
}

/* Parses a Go duration ("1h2m3.5s", "500ms", "0") into nanoseconds; -1 when malformed or negative. */
int64_t parse_duration(const char *s) {
  if (*s == '+') s++;
  if (strcmp(s, "0") == 0) return 0;
  if (*s == '\0') return -1;
  double total = 0;
  while (*s) {
    char *end;
    if (!(*s >= '0' && *s <= '9') && *s != '.') return -1;
    double v = strtod(s, &end);
    if (end == s) return -1;
    s = end;
    double u = unit_ns(&s);
    if (u < 0) return -1;
    total += v * u;
  }
  return total > 9.2e18 ? INT64_MAX : (int64_t)total;
}
