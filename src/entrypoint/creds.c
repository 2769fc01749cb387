/*
 * Credential initialisation (Tekton's creds-init, docs/auth.md): the flags -basic-git, -ssh-git, -basic-docker
 * (SECRET=URL), -docker-config and -docker-cfg (SECRET) name Secrets mounted at <secrets_dir>/<SECRET>; before
 * the step runs, .gitconfig, .git-credentials, .ssh/ and .docker/config.json are written into <creds_dir>
 * (/tekton/creds), then everything there is copied into $HOME.
 */
#include "entrypoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CREDS 128

static struct cred basic_git[MAX_CREDS], ssh_git[MAX_CREDS], basic_docker[MAX_CREDS];
static const char *docker_config[MAX_CREDS], *docker_cfg[MAX_CREDS];
static int n_basic_git, n_ssh_git, n_basic_docker, n_docker_config, n_docker_cfg;
static const char *secrets_dir = "/tekton/creds-secrets", *creds_dir = "/tekton/creds";

/* ------------------------------------------------------------------ flags */

static int add_pair(struct cred *list, int *n, const char *name, const char *value, int unique) {
  const char *eq = strchr(value, '=');
  if (!eq || strchr(eq + 1, '=') || *n >= MAX_CREDS) {
    warnx_("invalid value \"%s\" for flag -%s: expect entries of the form secret=url", value, name);
    return -1;
  }
  char *secret = str_printf("%.*s", (int)(eq - value), value);
  for (int i = 0; unique && i < *n; i++) {
    if (strcmp(list[i].url, eq + 1) == 0) {
      warnx_("invalid value \"%s\" for flag -%s: multiple entries for url: %s", value, name, eq + 1);
      return -1;
    }
  }
  list[*n].secret = secret;
  list[(*n)++].url = eq + 1;
  return 0;
}

static int add_name(const char **list, int *n, const char *value) {
  if (*n >= MAX_CREDS) return -1;
  list[(*n)++] = value;
  return 0;
}

int is_creds_flag(const char *name) {
  static const char *names[] = {"basic-git", "ssh-git", "basic-docker", "docker-config", "docker-cfg", "creds_dir",
                                "creds_secrets_dir"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(name, names[i]) == 0) return 1;
  return 0;
}

/* Records one credential flag; -1 when its value is malformed. */
int creds_flag(const char *name, const char *value) {
  if (strcmp(name, "basic-git") == 0) return add_pair(basic_git, &n_basic_git, name, value, 1);
  if (strcmp(name, "ssh-git") == 0) return add_pair(ssh_git, &n_ssh_git, name, value, 0);
  if (strcmp(name, "basic-docker") == 0) return add_pair(basic_docker, &n_basic_docker, name, value, 1);
  if (strcmp(name, "docker-config") == 0) return add_name(docker_config, &n_docker_config, value);
  if (strcmp(name, "docker-cfg") == 0) return add_name(docker_cfg, &n_docker_cfg, value);
  if (strcmp(name, "creds_dir") == 0) creds_dir = value;
  else secrets_dir = value;
  return 0;
}

/* The content of key `key` of Secret `secret` (NUL-terminated), or NULL with a message. */
char *secret_key(const char *secret, const char *key, int quiet) {
  char *path = str_printf("%s/%s/%s", secrets_dir, secret, key);
  char *data = read_file(path, NULL);
  if (!data && !quiet) warnx_("cannot read %s: %s", path, strerror(errno));
  free(path);
  return data;
}

static char *creds_path(const char *rel) { return str_printf("%s/%s", creds_dir, rel); }

/* ------------------------------------------------------------------ git */

/* Go's url userinfo escaping: letters, digits and -_.~$&+,;= stay, everything else is %XX. */
static void put_userinfo(struct buf *b, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-_.~$&+,;=", c)) {
      buf_put(b, (const char *)&c, 1);
    } else {
      char hex[4];
      snprintf(hex, sizeof hex, "%%%02X", c);
      buf_puts(b, hex);
    }
  }
}

/* The URL with user:password inserted (an existing userinfo replaced); *has_path set as Tekton's urlHasPath. */
static char *auth_url(const char *url, const char *user, const char *pass, int *has_path) {
  struct buf b = {0};
  const char *sep = strstr(url, "://"), *rest = sep ? sep + 3 : url;
  if (sep) buf_put(&b, url, (size_t)(rest - url));
  else buf_puts(&b, "//");
  const char *slash = strchr(rest, '/'), *at = strchr(rest, '@');
  if (at && (!slash || at < slash)) rest = at + 1;
  put_userinfo(&b, user);
  buf_puts(&b, ":");
  put_userinfo(&b, pass);
  buf_puts(&b, "@");
  buf_puts(&b, rest);
  slash = strchr(rest, '/');
  *has_path = !sep || (slash && strcmp(slash, "/") != 0);
  return b.p;
}

static int write_basic_git(void) {
  if (n_basic_git == 0) return 0;
  struct buf cfg = {0}, host_first = {0}, with_path = {0};
  buf_puts(&cfg, "[credential]\n\thelper = store\n");
  for (int i = 0; i < n_basic_git; i++) {
    char *user = secret_key(basic_git[i].secret, "username", 0), *pass = secret_key(basic_git[i].secret, "password", 0);
    if (!user || !pass) return -1;
    int has_path;
    char *u = auth_url(basic_git[i].url, user, pass, &has_path);
    buf_puts(&cfg, "[credential \"");
    for (const char *p = basic_git[i].url; *p; p++) buf_puts(&cfg, *p == '"' ? "\\\"" : *p == '\\' ? "\\\\" : (char[]){*p, 0});
    buf_puts(&cfg, "\"]\n\tusername = ");
    for (const char *p = user; *p; p++) buf_puts(&cfg, *p == '\\' ? "\\\\" : (char[]){*p, 0});
    buf_puts(&cfg, has_path ? "\n\tuseHttpPath = true\n" : "\n");
    buf_puts(has_path ? &with_path : &host_first, u);
    buf_puts(has_path ? &with_path : &host_first, "\n");
    free(u);
    free(user);
    free(pass);
  }
  char *p1 = creds_path(".gitconfig"), *p2 = creds_path(".git-credentials");
  buf_put(&host_first, with_path.p ? with_path.p : "", with_path.n);
  int rc = write_file(p1, cfg.p, cfg.n, 0600) | write_file(p2, host_first.p, host_first.n, 0600);
  free(p1);
  free(p2);
  return rc;
}

/* Splits "host[:port][/path]" (Tekton's parseSSHURL); the parts are new strings. */
static void parse_ssh_url(const char *raw, char **host, char **port, char **path) {
  const char *slash = strchr(raw, '/');
  size_t n = slash ? (size_t)(slash - raw) : strlen(raw);
  *path = str_printf("%s", slash ? slash : "");
  const char *colon = memrchr(raw, ':', n);
  int bracket = raw[0] == '[';
  const char *close = bracket ? memchr(raw, ']', n) : NULL;
  if (colon && (bracket ? close && colon == close + 1 : memchr(raw, ':', n) == colon)) {
    *host = bracket ? str_printf("%.*s", (int)(close - raw - 1), raw + 1) : str_printf("%.*s", (int)(colon - raw), raw);
    *port = str_printf("%.*s", (int)(n - (size_t)(colon - raw) - 1), colon + 1);
  } else {
    *host = str_printf("%.*s", (int)n, raw);
    *port = str_printf("22");
  }
}

/* One Host block of .ssh/config for every entry with URL `url`; keys written, known_hosts collected. */
static int ssh_host_block(const char *url, struct buf *config, struct buf *known, struct buf *gitcfg) {
  char *host, *port, *path;
  parse_ssh_url(url, &host, &port, &path);
  char *alias = str_printf("%s", host);
  if (*path) {
    struct buf a = {0};
    buf_puts(&a, host);
    buf_puts(&a, "--");
    for (const char *p = path + 1; *p; p++) buf_puts(&a, *p == '/' ? "--" : (char[]){*p, 0});
    free(alias);
    alias = a.p;
    const char *rel = path + 1;
    char *e1 = str_printf("[url \"git@%s:%s.git\"]\n\tinsteadOf = git@%s:%s.git\n", alias, rel, host, rel);
    char *e2 = strcmp(port, "22") != 0
                   ? str_printf("[url \"ssh://%s/%s.git\"]\n\tinsteadOf = ssh://%s:%s/%s.git\n", alias, rel, host, port, rel)
                   : str_printf("[url \"ssh://%s/%s.git\"]\n\tinsteadOf = ssh://%s/%s.git\n", alias, rel, host, rel);
    buf_puts(gitcfg, e1);
    buf_puts(gitcfg, e2);
    free(e1);
    free(e2);
  }
  char *head = str_printf("Host %s\n    HostName %s\n    Port %s\n", alias, host, port);
  buf_puts(config, head);
  free(head);
  for (int i = 0; i < n_ssh_git; i++) {
    if (strcmp(ssh_git[i].url, url) != 0) continue;
    char *key = secret_key(ssh_git[i].secret, "ssh-privatekey", 0), *kh = secret_key(ssh_git[i].secret, "known_hosts", 1);
    if (!key) return -1;
    char *file = str_printf("%s/.ssh/id_%s", creds_dir, ssh_git[i].secret), *line = str_printf("    IdentityFile %s\n", file);
    if (write_file(file, key, strlen(key), 0600) != 0) return -1;
    buf_puts(config, line);
    if (kh && *kh) {
      if (known->n) buf_puts(known, "\n");
      buf_puts(known, kh);
    }
    free(kh), free(key), free(file), free(line);
  }
  free(host), free(port), free(path), free(alias);
  return 0;
}

static int write_ssh_git(void) {
  if (n_ssh_git == 0) return 0;
  char *dir = creds_path(".ssh");
  if (mkdir_p(dir, 0777) != 0) return -1;
  struct buf config = {0}, known = {0}, gitcfg = {0};
  /* URLs in first-seen order, those without a path first (host-wide keys are the fallbacks) */
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < n_ssh_git; i++) {
      int first = 1;
      for (int j = 0; j < i; j++) first &= strcmp(ssh_git[j].url, ssh_git[i].url) != 0;
      if (!first || (strchr(ssh_git[i].url, '/') != NULL) != pass) continue;
      if (ssh_host_block(ssh_git[i].url, &config, &known, &gitcfg) != 0) return -1;
    }
  }
  char *cfg = creds_path(".ssh/config"), *kh = creds_path(".ssh/known_hosts"), *gc = creds_path(".gitconfig");
  int rc = write_file(cfg, config.p ? config.p : "", config.n, 0600);
  if (known.n) rc |= write_file(kh, known.p, known.n, 0600);
  if (gitcfg.n) {
    int fd = open(gc, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, gitcfg.p, gitcfg.n) != (ssize_t)gitcfg.n) rc = -1;
    if (fd >= 0) close(fd);
  }
  free(dir), free(cfg), free(kh), free(gc);
  return rc;
}

/* ------------------------------------------------------------------ all */

static int copy_cred(const char *src, const char *dst) {
  struct stat st;
  if (lstat(src, &st) != 0) return errno == ENOENT ? 0 : -1;
  if (S_ISDIR(st.st_mode)) {
    if (mkdir_p(dst, 0700) != 0) return -1;
    DIR *d = opendir(src);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && rc == 0) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *s = str_printf("%s/%s", src, e->d_name), *t = str_printf("%s/%s", dst, e->d_name);
      rc = copy_cred(s, t);
      free(s), free(t);
    }
    closedir(d);
    return rc;
  }
  size_t n;
  char *data = read_file(src, &n);
  if (!data) return -1;
  int fd = open(dst, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int rc = fd >= 0 && write(fd, data, n) == (ssize_t)n ? 0 : -1;
  if (fd >= 0) close(fd);
  free(data);
  return rc;
}

/* Copies .docker, .gitconfig, .git-credentials and .ssh from creds_dir into $HOME (Tekton's CopyCredsToHome). */
static void copy_to_home(void) {
  static const char *names[] = {".docker", ".gitconfig", ".git-credentials", ".ssh"};
  struct stat st;
  const char *home = getenv("HOME");
  if (stat(creds_dir, &st) != 0 || !S_ISDIR(st.st_mode)) return;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char *src = str_printf("%s/%s", creds_dir, names[i]);
    if (lstat(src, &st) == 0) {
      if (!home || !*home) {
        warnx_("non-fatal error copying credentials: $HOME is not defined");
        free(src);
        return;
      }
      char *dst = str_printf("%s/%s", home, names[i]);
      mkdir_p(home, 0755);
      if (copy_cred(src, dst) != 0)
        warnx_("warning: unsuccessful cred copy: \"%s\" from \"%s\" to \"%s\": %s", names[i], creds_dir, home, strerror(errno));
      free(dst);
    }
    free(src);
  }
}

/* Writes the credentials named by the flags into creds_dir, then copies creds_dir into $HOME. */
void creds_init(void) {
  /* each writer on its own, as Tekton's builders: one failing leaves the others' files */
  if (write_docker_config(n_basic_docker, basic_docker, n_docker_config, docker_config, n_docker_cfg, docker_cfg,
                          creds_dir) != 0)
    warnx_("Error initializing credentials: docker config in %s", creds_dir);
  if (write_basic_git() != 0) warnx_("Error initializing credentials: git basic-auth in %s", creds_dir);
  if (write_ssh_git() != 0) warnx_("Error initializing credentials: git ssh in %s", creds_dir);
  copy_to_home();
}
