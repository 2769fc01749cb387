/*
 * A small JSON reader for the step helper: the -when_expressions flag and array/object step results.
 * Strings are decoded (escapes, \uXXXX with surrogate pairs, to UTF-8); numbers, true, false and null are
 * kept as their text (J_OTHER). Nesting is limited to 32 levels.
 */
#include "entrypoint.h"

#include <stdlib.h>
#include <string.h>

struct parser {
  const char *p, *end;
  int depth;
};

static void skip_ws(struct parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int hex4(const char *s, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static void put_utf8(struct buf *b, unsigned cp) {
  char o[4];
  size_t n;
  if (cp < 0x80) o[0] = (char)cp, n = 1;
  else if (cp < 0x800) o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63)), n = 2;
  else if (cp < 0x10000) o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 63)), o[2] = (char)(0x80 | (cp & 63)), n = 3;
  else o[0] = (char)(0xf0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 63)), o[2] = (char)(0x80 | ((cp >> 6) & 63)), o[3] = (char)(0x80 | (cp & 63)), n = 4;
  buf_put(b, o, n);
}

/* One escape after the backslash at ps->p; 0 on success. */
static int parse_escape(struct parser *ps, struct buf *b) {
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *hit = ps->p < ps->end ? strchr(from, *ps->p) : NULL;
  if (hit && *ps->p) {
    buf_put(b, &to[hit - from], 1);
    ps->p++;
    return 0;
  }
  unsigned cp, lo;
  if (ps->p >= ps->end || *ps->p != 'u' || ps->end - ps->p < 5 || hex4(ps->p + 1, &cp) != 0) return -1;
  ps->p += 5;
  if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u' && hex4(ps->p + 2, &lo) == 0 &&
      lo >= 0xdc00 && lo < 0xe000) {
    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    ps->p += 6;
  } else if (cp >= 0xd800 && cp < 0xe000) {
    cp = 0xfffd;
  }
  put_utf8(b, cp);
  return 0;
}

static int parse_string(struct parser *ps, struct jval *v) {
  struct buf b = {0};
  buf_put(&b, "", 0);
  ps->p++; /* opening quote */
  while (ps->p < ps->end && *ps->p != '"') {
    unsigned char c = (unsigned char)*ps->p;
    if (c < 0x20) goto bad;
    if (c == '\\') {
      ps->p++;
      if (parse_escape(ps, &b) != 0) goto bad;
    } else {
      buf_put(&b, ps->p++, 1);
    }
  }
  if (ps->p >= ps->end) goto bad;
  ps->p++;
  v->t = J_STR;
  v->s = b.p;
  v->n = b.n;
  return 0;
bad:
  free(b.p);
  return -1;
}

static int parse_value(struct parser *ps, struct jval *v);

/* Arrays and objects: items (and keys for objects) separated by commas. */
static int parse_container(struct parser *ps, struct jval *v, int object) {
  char close = object ? '}' : ']';
  v->t = object ? J_OBJ : J_ARR;
  ps->p++;
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == close) return ps->p++, 0;
  for (;;) {
    v->items = realloc(v->items, (v->count + 1) * sizeof *v->items);
    v->keys = object ? realloc(v->keys, (v->count + 1) * sizeof *v->keys) : NULL;
    struct jval key = {0}, *item = &v->items[v->count];
    memset(item, 0, sizeof *item);
    if (object) {
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != '"' || parse_string(ps, &key) != 0) return -1;
      v->keys[v->count] = key.s;
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p++ != ':') return v->count++, -1;
    }
    v->count++;
    if (parse_value(ps, item) != 0) return -1;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == close) return ps->p++, 0;
    return -1;
  }
}

static int parse_value(struct parser *ps, struct jval *v) {
  skip_ws(ps);
  if (ps->p >= ps->end) return -1;
  if (*ps->p == '"') return parse_string(ps, v);
  if (*ps->p == '[' || *ps->p == '{') {
    if (++ps->depth > 32) return -1;
    int rc = parse_container(ps, v, *ps->p == '{');
    ps->depth--;
    return rc;
  }
  const char *start = ps->p;
  while (ps->p < ps->end && strchr(",]} \t\r\n", *ps->p) == NULL) ps->p++;
  if (ps->p == start) return -1;
  size_t n = (size_t)(ps->p - start);
  int literal = (n == 4 && (!strncmp(start, "true", 4) || !strncmp(start, "null", 4))) || (n == 5 && !strncmp(start, "false", 5));
  if (!literal && strspn(start, "-+.eE0123456789") < n) return -1;
  v->t = J_OTHER;
  v->s = str_printf("%.*s", (int)n, start);
  v->n = n;
  return 0;
}

/* Parses the whole text; 0 on success (v must be zeroed). Free with json_free either way. */
int json_parse(const char *text, size_t n, struct jval *v) {
  struct parser ps = {text, text + n, 0};
  memset(v, 0, sizeof *v);
  if (parse_value(&ps, v) != 0) return -1;
  skip_ws(&ps);
  return ps.p == ps.end ? 0 : -1;
}

void json_free(struct jval *v) {
  for (size_t i = 0; i < v->count; i++) {
    json_free(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->s);
  memset(v, 0, sizeof *v);
}

/* The member named key of an object, or NULL. */
const struct jval *json_get(const struct jval *obj, const char *key) {
  if (obj->t != J_OBJ) return NULL;
  for (size_t i = 0; i < obj->count; i++)
    if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
  return NULL;
}

/* True when v is a list whose items are all strings (or a map whose values are all strings). */
int json_all_strings(const struct jval *v) {
  for (size_t i = 0; i < v->count; i++)
    if (v->items[i].t != J_STR) return 0;
  return 1;
}
