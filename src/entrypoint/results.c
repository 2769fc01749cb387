/*
 * Runtime substitution of step results: $(steps.<step>.results.<name>), [i], [*] and .key, read from
 * <steps_dir>/step-<step>/results/<name> as Tekton's entrypoint reads them (a JSON list of strings is an
 * array, a JSON map of strings an object, a JSON string its text, anything else the raw text).
 */
#include "entrypoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REF_STRING, REF_INDEX, REF_STAR, REF_KEY };

struct sref {
  char *step, *name, *key, *text; /* text: the whole "$(...)" */
  int kind;
  long idx;
  size_t len;
};

static void sref_free(struct sref *r) {
  free(r->step);
  free(r->name);
  free(r->key);
  free(r->text);
}

/* Splits "name[3]" / "name[*]" into the name and the index kind. */
static int split_index(struct sref *r, const char *part, size_t n) {
  const char *br = memchr(part, '[', n);
  if (!br) {
    r->name = str_printf("%.*s", (int)n, part);
    return 0;
  }
  if (part[n - 1] != ']') return -1;
  r->name = str_printf("%.*s", (int)(br - part), part);
  const char *in = br + 1;
  size_t in_n = (size_t)(part + n - 1 - in);
  if (in_n == 1 && *in == '*') r->kind = REF_STAR;
  else if (in_n > 0 && strspn(in, "0123456789") >= in_n) r->kind = REF_INDEX, r->idx = strtol(in, NULL, 10);
  else return -1;
  return 0;
}

/*
 * Parses a reference at s (which starts with "$(steps."): steps.<step>.results.<name>[idx|*] or
 * steps.<step>.results.<name>.<key>. Returns 1 when parsed, 0 when s is not a step-result reference.
 */
static int parse_ref(const char *s, struct sref *r) {
  memset(r, 0, sizeof *r);
  const char *close = strchr(s, ')');
  if (strncmp(s, "$(steps.", 8) != 0 || !close) return 0;
  char *expr = str_printf("%.*s", (int)(close - s - 2), s + 2), *parts[6] = {0};
  int np = 0;
  for (char *save = NULL, *t = strtok_r(expr, ".", &save); t && np < 6; t = strtok_r(NULL, ".", &save)) parts[np++] = t;
  int ok = (np == 4 || np == 5) && strcmp(parts[2], "results") == 0 && *parts[1];
  if (ok) {
    r->step = str_printf("%s", parts[1]);
    if (np == 5) r->kind = REF_KEY, r->name = str_printf("%s", parts[3]), r->key = str_printf("%s", parts[4]);
    else ok = split_index(r, parts[3], strlen(parts[3])) == 0;
  }
  free(expr);
  if (!ok) {
    sref_free(r);
    return 0;
  }
  r->len = (size_t)(close + 1 - s);
  r->text = str_printf("%.*s", (int)r->len, s);
  return 1;
}

/* Loads a step result as Tekton's ParamValue.UnmarshalJSON reads it; -1 when the file does not exist. */
static int load_result(const char *steps_dir, const struct sref *r, struct jval *v) {
  char *path = str_printf("%s/step-%s/results/%s", steps_dir, r->step, r->name);
  size_t n;
  memset(v, 0, sizeof *v);
  char *raw = read_file(path, &n);
  free(path);
  if (!raw) return -1;
  if (n > 0 && (raw[0] == '[' || raw[0] == '{' || raw[0] == '"') && json_parse(raw, n, v) == 0 &&
      (v->t == J_STR || ((v->t == J_ARR || v->t == J_OBJ) && json_all_strings(v)))) {
    free(raw);
    return 0;
  }
  json_free(v);
  v->t = J_STR;
  v->s = raw;
  v->n = n;
  return 0;
}

/* The text one non-[*] reference stands for, or NULL with *err set. */
static char *ref_value(const char *steps_dir, const struct sref *r, char **err) {
  struct jval v;
  char *out = NULL;
  if (load_result(steps_dir, r, &v) != 0) {
    *err = str_printf("cannot substitute %s: step \"%s\" wrote no result \"%s\" (%s/step-%s/results/%s does not exist)", r->text,
                      r->step, r->name, steps_dir, r->step, r->name);
    return NULL;
  }
  if (r->kind == REF_INDEX && v.t == J_ARR && (size_t)r->idx < v.count) out = str_printf("%s", v.items[r->idx].s);
  else if (r->kind == REF_INDEX && v.t == J_ARR)
    *err = str_printf("cannot substitute %s: index %ld is out of range (the array has %zu items)", r->text, r->idx, v.count);
  else if (r->kind == REF_INDEX) *err = str_printf("cannot substitute %s: result \"%s\" is not an array", r->text, r->name);
  else if (r->kind == REF_KEY && json_get(&v, r->key)) out = str_printf("%s", json_get(&v, r->key)->s);
  else if (r->kind == REF_KEY)
    *err = str_printf("cannot substitute %s: result \"%s\" is not an object with key \"%s\"", r->text, r->name, r->key);
  else if (r->kind == REF_STAR)
    *err = str_printf("cannot substitute %s: value must be in \"$(steps.<step-name>.results.<result-name>[*])\" format, when using array results", r->text);
  else if (v.t == J_STR) out = str_printf("%.*s", (int)v.n, v.s);
  else *err = str_printf("cannot substitute %s: result \"%s\" is an %s; use [i], [*] or .key", r->text, r->name, v.t == J_ARR ? "array" : "object");
  json_free(&v);
  return out;
}

/* s with every string-form step-result reference replaced; NULL with *err set on failure. */
char *subst_string(const char *s, const char *steps_dir, char **err) {
  struct buf b = {0};
  buf_put(&b, "", 0);
  while (*s) {
    struct sref r;
    if (!parse_ref(s, &r)) {
      buf_put(&b, s++, 1);
      continue;
    }
    char *val = ref_value(steps_dir, &r, err);
    s += r.len;
    sref_free(&r);
    if (!val) {
      free(b.p);
      return NULL;
    }
    buf_puts(&b, val);
    free(val);
  }
  return b.p;
}

/*
 * Substitutes one list item (an argument or a when value): an item that is exactly "$(steps.s.results.r[*])"
 * becomes every item of that array result; other items are substituted as strings. Appends to *out.
 */
int subst_item(const char *s, const char *steps_dir, struct strlist *out, char **err) {
  struct sref r;
  if (parse_ref(s, &r) && r.kind == REF_STAR && r.len == strlen(s)) {
    struct jval v;
    int rc = load_result(steps_dir, &r, &v);
    if (rc != 0) *err = str_printf("cannot substitute %s: step \"%s\" wrote no result \"%s\"", r.text, r.step, r.name);
    else if (v.t == J_OBJ || v.t == J_STR) /* an object's [*] is not a list; a string is one item */
      *err = v.t == J_OBJ ? str_printf("cannot substitute %s: result \"%s\" is an object, not an array", r.text, r.name) : NULL;
    if (rc == 0 && v.t == J_ARR)
      for (size_t i = 0; i < v.count; i++) strlist_add(out, str_printf("%s", v.items[i].s));
    if (rc == 0 && v.t == J_STR) strlist_add(out, str_printf("%.*s", (int)v.n, v.s));
    if (rc == 0) json_free(&v);
    sref_free(&r);
    return *err ? -1 : 0;
  }
  if (r.text) sref_free(&r);
  char *v = subst_string(s, steps_dir, err);
  if (!v) return -1;
  strlist_add(out, v);
  return 0;
}

void strlist_add(struct strlist *l, char *s) {
  if (l->n + 2 > l->cap) {
    l->cap = (l->n + 2) * 2;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) {
      fputs("entrypoint: out of memory\n", stderr);
      exit(1);
    }
  }
  l->v[l->n++] = s;
  l->v[l->n] = NULL;
}
