/*
 * Termination message (Tekton's JSON array of {"key","value","type"}).
 */
#include "entrypoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends a JSON string literal, escaped like Go's encoding/json (HTML-safe). */
void json_str(struct buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  buf_put(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8] = "\\u00";
    if (c == '"' || c == '\\') {
      esc[1] = (char)c;
      buf_put(b, esc, 2);
    } else if (c == '\n' || c == '\r' || c == '\t') {
      esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
      buf_put(b, esc, 2);
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      buf_put(b, esc, 6);
    } else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && ((unsigned char)s[i + 2] & 0xfe) == 0xa8) {
      buf_puts(b, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
      i += 2;
    } else {
      buf_put(b, (const char *)&s[i], 1);
    }
  }
  buf_put(b, "\"", 1);
}

/* Adds one {"key","value","type"} entry. */
void msg_add(struct msg *m, const char *key, const char *val, size_t len, int type) {
  char t[24];
  buf_puts(&m->b, m->count++ ? ",{\"key\":" : "{\"key\":");
  json_str(&m->b, key, strlen(key));
  buf_puts(&m->b, ",\"value\":");
  json_str(&m->b, val, len);
  snprintf(t, sizeof t, ",\"type\":%d}", type);
  buf_puts(&m->b, t);
}

/* Adds every result of the comma-separated `names` whose file exists in `dir`. */
void msg_add_results(struct msg *m, const char *dir, const char *names, int type) {
  if (!names || !*names) return;
  char *list = str_printf("%s", names);
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
    char *path = str_printf("%s/%s", dir, name);
    size_t len;
    char *val = read_file(path, &len);
    if (val) msg_add(m, name, val, len, type);
    free(val);
    free(path);
  }
  free(list);
}

/*
 * Writes the message to `path`. When it is over 4096 bytes, writes instead StartedAt plus
 * Reason=TerminationMessageTooLarge and returns 1; returns -1 when the file cannot be written.
 */
int msg_write(struct msg *m, const char *path) {
  struct buf out = {0};
  int too_large = m->b.n + 2 > MAX_TERMINATION_MESSAGE;
  if (too_large) {
    struct msg small = {{0}, 0, {0}};
    if (m->started[0]) msg_add(&small, "StartedAt", m->started, strlen(m->started), TYPE_INTERNAL);
    msg_add(&small, "Reason", "TerminationMessageTooLarge", 26, TYPE_INTERNAL);
    warnx_("Termination message is above max allowed size %d, caused by large task result.", MAX_TERMINATION_MESSAGE);
    buf_puts(&out, "[");
    buf_put(&out, small.b.p, small.b.n);
    free(small.b.p);
  } else {
    buf_puts(&out, "[");
    buf_put(&out, m->b.p ? m->b.p : "", m->b.n);
  }
  buf_puts(&out, "]");
  int rc = path ? write_file(path, out.p, out.n, 0644) : 0;
  if (rc != 0) warnx_("cannot write termination message %s: %s", path, strerror(errno));
  free(out.p);
  return rc != 0 ? -1 : too_large;
}
