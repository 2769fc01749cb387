/*
 * .docker/config.json of creds-init (Tekton's dockercreds): the entries of kubernetes.io/dockercfg Secrets, then
 * of kubernetes.io/dockerconfigjson Secrets ("auths"), then basic-auth Secrets annotated tekton.dev/docker-N, later
 * ones replacing earlier ones with the same key; written as {"auths":{...}} with keys sorted and each entry
 * reduced to username, password, auth and email, as Go's json.Marshal of Tekton's entry type writes it.
 * A small JSON scanner suffices: values are copied as they are written in the Secret.
 */
#include "entrypoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


/* One auth entry; every field is a JSON string literal (quotes included) or NULL. */
struct entry {
  char *key, *username, *password, *auth, *email;
};

struct entries {
  struct entry *e;
  int n;
};

static const char *ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  return p;
}

/* p at '"': the end of the string literal, or NULL. */
static const char *skip_str(const char *p) {
  for (p++; *p && *p != '"'; p++)
    if (*p == '\\' && p[1]) p++;
  return *p ? p + 1 : NULL;
}

/* The end of the JSON value at p, or NULL when it is malformed. */
static const char *skip_val(const char *p) {
  if (*p == '"') return skip_str(p);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (*p) {
      if (*p == '"') {
        if (!(p = skip_str(p))) return NULL;
        continue;
      }
      if (*p == '{' || *p == '[') depth++;
      if (*p == '}' || *p == ']') depth--;
      p++;
      if (depth == 0) return p;
    }
    return NULL;
  }
  const char *s = p;
  while (*p && !strchr(",}] \t\r\n", *p)) p++;
  return p > s ? p : NULL;
}

typedef int (*member_fn)(const char *k, size_t kn, const char *v, size_t vn, void *ctx);

/* Calls fn for every member of the object at p; -1 when p is not an object. */
static int each_member(const char *p, member_fn fn, void *ctx) {
  p = ws(p);
  if (*p != '{') return -1;
  p = ws(p + 1);
  if (*p == '}') return 0;
  for (;;) {
    const char *k = p, *ke = *p == '"' ? skip_str(p) : NULL;
    if (!ke || *(p = ws(ke)) != ':') return -1;
    const char *v = ws(p + 1), *ve = skip_val(v);
    if (!ve || fn(k, (size_t)(ke - k), v, (size_t)(ve - v), ctx) != 0) return -1;
    p = ws(ve);
    if (*p == '}') return 0;
    if (*p != ',') return -1;
    p = ws(p + 1);
  }
}

static char *dup_n(const char *s, size_t n) { return str_printf("%.*s", (int)n, s); }

static int entry_field(const char *k, size_t kn, const char *v, size_t vn, void *ctx) {
  struct entry *e = ctx;
  char **slot = kn == 10 && memcmp(k, "\"username\"", 10) == 0   ? &e->username
                : kn == 10 && memcmp(k, "\"password\"", 10) == 0 ? &e->password
                : kn == 6 && memcmp(k, "\"auth\"", 6) == 0       ? &e->auth
                : kn == 7 && memcmp(k, "\"email\"", 7) == 0      ? &e->email
                                                                 : NULL;
  if (slot && *v == '"') *slot = dup_n(v, vn);
  return 0;
}

/* Adds or replaces the entry with e's key. */
static void put_entry(struct entries *list, struct entry e) {
  for (int i = 0; i < list->n; i++) {
    if (strcmp(list->e[i].key, e.key) == 0) {
      list->e[i] = e;
      return;
    }
  }
  list->e = realloc(list->e, sizeof *list->e * (size_t)(list->n + 1));
  if (!list->e) abort();
  list->e[list->n++] = e;
}

static int auth_member(const char *k, size_t kn, const char *v, size_t vn, void *ctx) {
  struct entry e = {dup_n(k, kn), NULL, NULL, NULL, NULL};
  char *val = dup_n(v, vn);
  if (*val == '{') each_member(val, entry_field, &e);
  free(val);
  put_entry(ctx, e);
  return 0;
}

static int auths_of_config(const char *k, size_t kn, const char *v, size_t vn, void *ctx) {
  if (kn != 7 || memcmp(k, "\"auths\"", 7) != 0) return 0;
  char *val = dup_n(v, vn);
  int rc = *val == '{' ? each_member(val, auth_member, ctx) : 0;
  free(val);
  return rc;
}

static void base64_encode(struct buf *b, const char *s, size_t n) {
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned char)s[i] << 16 | (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0) | (i + 2 < n ? (unsigned char)s[i + 2] : 0);
    char out[4] = {abc[v >> 18 & 63], abc[v >> 12 & 63], i + 1 < n ? abc[v >> 6 & 63] : '=', i + 2 < n ? abc[v & 63] : '='};
    buf_put(b, out, 4);
  }
}

static char *quoted(const char *s) {
  struct buf b = {0};
  json_str(&b, s, strlen(s));
  return b.p;
}

/* The entry of a basic-auth Secret for one URL; -1 when its username or password cannot be read. */
static int basic_entry(const struct cred *c, struct entries *list) {
  char *user = secret_key(c->secret, "username", 0), *pass = secret_key(c->secret, "password", 0);
  if (!user || !pass) return -1;
  char *pair = str_printf("%s:%s", user, pass);
  struct buf auth = {0};
  buf_puts(&auth, "\"");
  base64_encode(&auth, pair, strlen(pair));
  buf_puts(&auth, "\"");
  put_entry(list, (struct entry){quoted(c->url), quoted(user), quoted(pass), auth.p, quoted("not@val.id")});
  free(pair), free(user), free(pass);
  return 0;
}

static int by_key(const void *a, const void *b) { return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key); }

static void put_field(struct buf *b, const char *name, const char *v, int *first, int always) {
  if (!always && (!v || strcmp(v, "\"\"") == 0)) return;
  buf_puts(b, *first ? "\"" : ",\"");
  buf_puts(b, name);
  buf_puts(b, "\":");
  buf_puts(b, v ? v : "\"\"");
  *first = 0;
}

static int read_secret_json(const char *secret, const char *key, member_fn fn, struct entries *list) {
  char *data = secret_key(secret, key, 0);
  if (!data) return -1;
  int rc = each_member(data, fn, list);
  if (rc != 0) warnx_("Secret %s: %s is not a JSON object", secret, key);
  free(data);
  return rc;
}

/* Writes <dir>/.docker/config.json when any entry exists; 0 on success. */
int write_docker_config(int nb, const struct cred *basic, int nj, const char **json, int nc, const char **cfg, const char *dir) {
  struct entries list = {NULL, 0};
  for (int i = 0; i < nc; i++)
    if (read_secret_json(cfg[i], ".dockercfg", auth_member, &list) != 0) return -1;
  for (int i = 0; i < nj; i++)
    if (read_secret_json(json[i], ".dockerconfigjson", auths_of_config, &list) != 0) return -1;
  for (int i = 0; i < nb; i++)
    if (basic_entry(&basic[i], &list) != 0) return -1;
  if (list.n == 0) return 0;
  qsort(list.e, (size_t)list.n, sizeof *list.e, by_key);
  struct buf b = {0};
  buf_puts(&b, "{\"auths\":{");
  for (int i = 0; i < list.n; i++) {
    struct entry *e = &list.e[i];
    int first = 1;
    buf_puts(&b, i ? "," : "");
    buf_puts(&b, e->key);
    buf_puts(&b, ":{");
    put_field(&b, "username", e->username, &first, 0);
    put_field(&b, "password", e->password, &first, 0);
    put_field(&b, "auth", e->auth, &first, 1);
    put_field(&b, "email", e->email, &first, 0);
    buf_puts(&b, "}");
  }
  buf_puts(&b, "}}");
  char *path = str_printf("%s/.docker/config.json", dir);
  int rc = write_file(path, b.p, b.n, 0600);
  if (rc != 0) warnx_("cannot write %s: %s", path, strerror(errno));
  free(path);
  free(b.p);
  return rc;
}
