/*
 * Step artifacts (alpha): $(steps.<step>.inputs.<name>) and $(steps.<step>.outputs.<name>) are replaced by
 * the JSON of that artifact's "values" in <steps_dir>/step-<step>/artifacts/provenance.json (compacted), as
 * Tekton's entrypoint does for a later step's command, arguments, environment and script.
 */
#include "entrypoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ a minimal JSON scanner */

static const char *ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  return p;
}

/* Returns the end of the JSON value at p (after skipping leading space), or NULL when malformed. */
static const char *skip_value(const char *p) {
  p = ws(p);
  if (*p == '"') {
    for (p++; *p && *p != '"'; p++)
      if (*p == '\\' && p[1]) p++;
    return *p == '"' ? p + 1 : NULL;
  }
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    p = ws(p + 1);
    if (*p == close) return p + 1;
    while (*p) {
      if (close == '}') {
        p = skip_value(p); /* key */
        if (!p || *(p = ws(p)) != ':') return NULL;
        p++;
      }
      if (!(p = skip_value(p))) return NULL;
      p = ws(p);
      if (*p == ',') {
        p = ws(p + 1);
        continue;
      }
      return *p == close ? p + 1 : NULL;
    }
    return NULL;
  }
  while (*p && !strchr(",]} \t\r\n", *p)) p++; /* number, true, false, null */
  return p;
}

/* In the object at p, finds member `key`; returns the start of its value or NULL. */
static const char *member(const char *p, const char *key) {
  p = ws(p);
  if (*p != '{') return NULL;
  size_t kl = strlen(key);
  p = ws(p + 1);
  while (*p == '"') {
    const char *k = p + 1, *end = skip_value(p);
    if (!end || *(end = ws(end)) != ':') return NULL;
    const char *v = ws(end + 1);
    if ((size_t)(end - k) >= kl + 1 && strncmp(k, key, kl) == 0 && k[kl] == '"' && ws(k + kl + 1) == end) return v;
    if (!(p = skip_value(v))) return NULL;
    p = ws(p);
    if (*p != ',') return NULL;
    p = ws(p + 1);
  }
  return NULL;
}

/* Appends the JSON text [p, end) without whitespace outside strings. */
static void put_compact(struct buf *b, const char *p, const char *end) {
  int in_str = 0;
  for (; p < end; p++) {
    if (in_str) {
      buf_put(b, p, 1);
      if (*p == '\\' && p + 1 < end) buf_put(b, ++p, 1);
      else if (*p == '"') in_str = 0;
    } else if (*p == '"') {
      in_str = 1;
      buf_put(b, p, 1);
    } else if (!strchr(" \t\r\n", *p)) {
      buf_put(b, p, 1);
    }
  }
}

/* Appends the compacted "values" of the artifact called `name` in the `kind` list of the provenance JSON. */
static int put_values(struct buf *b, const char *json, const char *kind, const char *name) {
  const char *list = member(json, kind);
  if (!list || *list != '[') return -1;
  const char *p = ws(list + 1);
  while (*p == '{') {
    const char *end = skip_value(p), *n = member(p, "name");
    if (!end) return -1;
    size_t nl = strlen(name);
    if (n && *n == '"' && strncmp(n + 1, name, nl) == 0 && n[nl + 1] == '"') {
      const char *v = member(p, "values");
      const char *ve = v ? skip_value(v) : NULL;
      if (!ve) return -1;
      put_compact(b, v, ve);
      return 0;
    }
    p = ws(end);
    if (*p != ',') break;
    p = ws(p + 1);
  }
  return -1;
}

/* ------------------------------------------------------------ substitution */

/* Matches "$(steps.<step>.inputs|outputs.<name>)" at s: returns its length, sets the spans. */
static size_t match_artifact_ref(const char *s, const char **step, size_t *sl, const char **kind, size_t *kl, const char **name, size_t *nl) {
  static const char pre[] = "$(steps.";
  if (strncmp(s, pre, sizeof pre - 1) != 0) return 0;
  *step = s + sizeof pre - 1;
  *sl = strcspn(*step, ".)$( ");
  if (*sl == 0 || (*step)[*sl] != '.') return 0;
  *kind = *step + *sl + 1;
  if (strncmp(*kind, "inputs.", 7) == 0) *kl = 6;
  else if (strncmp(*kind, "outputs.", 8) == 0) *kl = 7;
  else return 0;
  *name = *kind + *kl + 1;
  *nl = strcspn(*name, ".)$( ");
  if (*nl == 0 || (*name)[*nl] != ')') return 0;
  return (size_t)(*name + *nl + 1 - s);
}

char *subst_step_artifacts(const char *s, const char *steps_dir, const char **missing) {
  static char missing_buf[600];
  struct buf b = {0};
  buf_put(&b, "", 0);
  while (*s) {
    const char *step, *kind, *name;
    size_t sl, kl, nl, n = match_artifact_ref(s, &step, &sl, &kind, &kl, &name, &nl);
    if (n == 0) {
      buf_put(&b, s++, 1);
      continue;
    }
    char *path = str_printf("%s/step-%.*s/artifacts/provenance.json", steps_dir, (int)sl, step);
    char *k = str_printf("%.*s", (int)kl, kind), *nm = str_printf("%.*s", (int)nl, name);
    size_t len;
    char *json = read_file(path, &len);
    int rc = json ? put_values(&b, json, k, nm) : -1;
    if (rc != 0) snprintf(missing_buf, sizeof missing_buf, "%s %s of step %.*s (%s)", k, nm, (int)sl, step, path);
    free(json);
    free(path);
    free(k);
    free(nm);
    if (rc != 0) {
      *missing = missing_buf;
      free(b.p);
      return NULL;
    }
    s += n;
  }
  return b.p;
}
