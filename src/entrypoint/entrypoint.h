/*
 * tektite step helper ("entrypoint"): shared declarations.
 * Static C so it runs in images with no shell and no libc (scratch, distroless).
 * See README.md in this folder for the subcommands and flags.
 */
#ifndef TEKTITE_ENTRYPOINT_H
#define TEKTITE_ENTRYPOINT_H

#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Result types of the termination message (Tekton's values). */
#define TYPE_TASK_RESULT 1
#define TYPE_INTERNAL 3
#define TYPE_STEP_RESULT 4
#define TYPE_STEP_ARTIFACTS 5
#define TYPE_TASK_ARTIFACTS 6

/* Where a Task's steps write its artifacts ($(artifacts.path)), Tekton's pipeline.ArtifactsDir. */
#define TASK_ARTIFACTS_FILE "/tekton/artifacts/provenance.json"

/* Kubernetes' cap on a container termination message. */
#define MAX_TERMINATION_MESSAGE 4096

/* A growable byte buffer; aborts the program when memory runs out. */
struct buf {
  char *p;
  size_t n, cap;
};
void buf_put(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);

/* Signal state shared by the handlers (main.c) and the step runner (step.c).
 * g_child: 0 = no child yet (a termination signal exits at once), > 0 = the running child's
 * process group (signals are forwarded to it), -1 = child reaped, finishing (signal only recorded). */
extern volatile sig_atomic_t g_term_sig;
/* keep-pod-on-cancel: the downward file holding the pod's tekton.dev/cancel annotation (-cancel_file), and
 * whether the step was stopped because it read CANCEL there. */
extern const char *g_cancel_file;
extern int g_cancelled;
int cancel_requested(void);
extern volatile pid_t g_child;
extern int g_chld_pipe[2];
void install_chld_handler(void);

/* util.c */
int mkdir_p(const char *path, mode_t mode);
int mkdir_parent(const char *path);
char *read_file(const char *path, size_t *len);
int write_file(const char *path, const char *data, size_t n, mode_t mode);
int64_t mono_ns(void);
void format_time(char *out, size_t size);
int64_t parse_duration(const char *s);
char *str_printf(const char *fmt, ...);
void warnx_(const char *fmt, ...);

/* init.c */
int cmd_init(int argc, char **argv);
int cmd_decode_script(int argc, char **argv);
long base64_decode(const char *in, size_t n, char *out);

/* term.c */
struct msg {
  struct buf b;
  int count;
  char started[40];
};
void msg_add(struct msg *m, const char *key, const char *val, size_t len, int type);
void msg_add_results(struct msg *m, const char *dir, const char *names, int type);
int msg_write(struct msg *m, const char *path);

/* sidecar.c: the results sidecar of results-from: sidecar-logs. */
int cmd_sidecar_log_results(int argc, char **argv);

/* json.c: a small JSON reader (strings decoded; numbers, true, false, null kept as text in J_OTHER). */
enum jtype { J_NULL, J_STR, J_ARR, J_OBJ, J_OTHER };
struct jval {
  enum jtype t;
  char *s; /* J_STR / J_OTHER text */
  size_t n;
  struct jval *items; /* J_ARR items, J_OBJ values */
  char **keys;        /* J_OBJ keys */
  size_t count;
};
int json_parse(const char *text, size_t n, struct jval *v);
void json_free(struct jval *v);
const struct jval *json_get(const struct jval *obj, const char *key);
int json_all_strings(const struct jval *v);

/* results.c: step-result substitution ($(steps.<s>.results.<r>), [i], [*], .key). */
struct strlist {
  char **v;
  size_t n, cap;
};
void strlist_add(struct strlist *l, char *s);
char *subst_string(const char *s, const char *steps_dir, char **err);
int subst_item(const char *s, const char *steps_dir, struct strlist *out, char **err);

/* when.c: step when expressions; 1 run, 0 skip, -1 error. */
int when_allows(const char *json, const char *steps_dir, char **err);

/* artifacts.c */
char *subst_step_artifacts(const char *s, const char *steps_dir, const char **missing);

/* run.c */
int run_child(char **argv, char **envp, const char *out_path, const char *err_path, int64_t timeout_ns,
              int *timed_out);

/* creds.c, docker.c: credential initialisation (Tekton's creds-init) */
struct cred {
  const char *secret, *url;
};
int is_creds_flag(const char *name);
int creds_flag(const char *name, const char *value);
char *secret_key(const char *secret, const char *key, int quiet);
int write_docker_config(int nb, const struct cred *basic, int nj, const char **json, int nc, const char **cfg,
                        const char *dir);
void creds_init(void);
void json_str(struct buf *b, const char *s, size_t n);

/* nsexec.c: kubectl exec into a host-runtime container, or a command under a new terminal. */
int cmd_nsexec(int argc, char **argv);

/* step.c */
int cmd_step(int argc, char **argv);

#endif
