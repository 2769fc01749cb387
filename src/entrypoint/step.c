/*
 * Step mode: wait for the previous step, run the step's command, record the outcome
 * (post file, exitCode file, termination message). Flags are Tekton's (see README.md).
 */
#include "entrypoint.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

struct step {
  const char *wait_file, *post_file, *term_path, *meta_dir, *entrypoint, *on_error, *timeout;
  const char *stdout_path, *stderr_path, *results, *step_results, *results_dir, *steps_dir;
  const char *wait_file_content, *when_expressions, *result_from, *breakpoint_on_failure, *debug_before_step;
  int64_t timeout_ns;
  char **args;
  int nargs;
};

/* ------------------------------------------------------------------ flags */

static const char **flag_slot(struct step *s, const char *name) {
  static const struct { const char *name; size_t off; } flags[] = {
#define F(n) {#n, offsetof(struct step, n)}
    F(wait_file), F(post_file), F(entrypoint), F(on_error), F(timeout), F(stdout_path), F(stderr_path),
    F(results), F(step_results), F(results_dir), F(steps_dir), F(wait_file_content), F(when_expressions), F(result_from),
    F(breakpoint_on_failure), F(debug_before_step),
#undef F
    {"termination_path", offsetof(struct step, term_path)}, {"step_metadata_dir", offsetof(struct step, meta_dir)},
  };
  if (strcmp(name, "cancel_file") == 0) return &g_cancel_file;
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (strcmp(name, flags[i].name) == 0) return (const char **)((char *)s + flags[i].off);
  return NULL;
}

static int is_bool_flag(const struct step *s, const char **slot) {
  return slot == &s->wait_file_content || slot == &s->breakpoint_on_failure || slot == &s->debug_before_step;
}

static int flag_on(const char *v) { return v && strcmp(v, "false") != 0; }

/* Parses Go-style flags (-f v, -f=v, --f v; boolean flags take no value) up to "--" or the first non-flag. */
static int parse_flags(int argc, char **argv, struct step *s) {
  int i = 1;
  while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
    char *name = argv[i] + (argv[i][1] == '-' ? 2 : 1);
    if (*name == '\0') { /* "--" */
      i++;
      break;
    }
    char *eq = strchr(name, '=');
    if (eq) *eq = '\0';
    const char **slot = flag_slot(s, name);
    if (!slot && is_creds_flag(name)) {
      const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
      if (!v || creds_flag(name, v) != 0) return -1;
      i++;
      continue;
    }
    if (!slot) {
      warnx_("flag provided but not defined: -%s", name);
      return -1;
    }
    if (eq) *slot = eq + 1;
    else if (is_bool_flag(s, slot)) *slot = "true";
    else if (i + 1 < argc) *slot = argv[++i];
    else {
      warnx_("flag needs an argument: -%s", name);
      return -1;
    }
    i++;
  }
  s->args = argv + i;
  s->nargs = argc - i;
  return 0;
}

static int validate(struct step *s) {
  if (s->on_error && strcmp(s->on_error, "continue") != 0 && strcmp(s->on_error, "stopAndFail") != 0) {
    warnx_("-on_error must be continue or stopAndFail, not %s", s->on_error);
    return -1;
  }
  s->timeout_ns = s->timeout && *s->timeout ? parse_duration(s->timeout) : 0;
  if (s->timeout_ns < 0) {
    warnx_("bad -timeout %s (want a Go duration such as 90s or 1h0m0s)", s->timeout);
    return -1;
  }
  if (!s->entrypoint && s->nargs == 0) {
    warnx_("no command: give -entrypoint or arguments after --");
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ waiting */

static int wait_state(const char *f, const char *err, int need_content) {
  struct stat st;
  if (access(err, F_OK) == 0) return SKIP;
  if (stat(f, &st) == 0 && (!need_content || st.st_size > 0)) return READY;
  return WAITING;
}

/* Waits for f (non-empty when need_content) or f.err: inotify on the directory plus a 10 ms poll. */
int wait_for(const char *f, int need_content) {
  char *err = str_printf("%s.err", f), *dir = str_printf("%s", f), *slash = strrchr(dir, '/');
  if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
  int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), wd = -1, st;
  char ev[4096];
  while (1) {
    if (ifd >= 0 && wd < 0)
      wd = inotify_add_watch(ifd, slash ? dir : ".", IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB);
    if ((st = wait_state(f, err, need_content)) != WAITING) break;
    struct pollfd p = {wd >= 0 ? ifd : -1, POLLIN, 0};
    poll(&p, 1, 10);
    while (ifd >= 0 && read(ifd, ev, sizeof ev) > 0) {
    }
  }
  /* The inotify fd is deliberately left open (it is close-on-exec): close() of an inotify instance waits
     12-20 ms in the kernel (RCU), which would be paid on every step hand-off. */
  free(err);
  free(dir);
  return st;
}

/* ------------------------------------------------------------------ running */

static void write_post(const struct step *s, int ok) {
  if (!s->post_file) return;
  char *p = str_printf(ok ? "%s" : "%s.err", s->post_file);
  if (write_file(p, "", 0, 0644) != 0) warnx_("cannot write post file %s: %s", p, strerror(errno));
  free(p);
}

static void write_exit_code(const struct step *s, int code) {
  if (!s->meta_dir) return;
  char *p = str_printf("%s/exitCode", s->meta_dir), v[16];
  int n = snprintf(v, sizeof v, "%d", code);
  if (write_file(p, v, (size_t)n, 0644) != 0) warnx_("cannot write %s: %s", p, strerror(errno));
  free(p);
}

/* True when s may reference a step's artifacts ($(steps.<s>.inputs|outputs.<n>)). */
static int has_artifact_ref(const char *s) {
  return s && strstr(s, "$(steps.") && (strstr(s, ".outputs.") || strstr(s, ".inputs."));
}

/*
 * Replaces step-artifact references in one string. As Tekton's entrypoint, a reference that cannot be resolved
 * is logged and the string is used as written.
 */
static char *subst_artifacts_in(char *v, const char *steps_dir) {
  const char *missing = NULL;
  if (!v || !has_artifact_ref(v)) return v;
  char *done = subst_step_artifacts(v, steps_dir, &missing);
  if (done) return done;
  warnx_("Error while substituting step artifacts: %s not found", missing);
  return v;
}

/*
 * A placed script (/tekton/scripts/...) that references step artifacts is rewritten with them into the step's
 * metadata dir, which the step may write, and run from there.
 */
static char *script_with_artifacts(const struct step *s, char *path) {
  if (!path || !s->meta_dir || strncmp(path, "/tekton/scripts/", 16) != 0) return path;
  size_t len;
  char *text = read_file(path, &len);
  if (!text || !has_artifact_ref(text)) {
    free(text);
    return path;
  }
  char *done = subst_artifacts_in(text, s->steps_dir);
  if (done == text) {
    free(text);
    return path;
  }
  free(text);
  char *out = str_printf("%s/script", s->meta_dir);
  if (write_file(out, done, strlen(done), 0755) != 0) warnx_("cannot write %s: %s", out, strerror(errno));
  free(done);
  return out;
}

/*
 * Replaces step-result references in the command, the arguments (an argument that is exactly an array
 * result's [*] becomes its items) and the environment values.
 */
static char **substitute(struct step *s, char ***envp) {
  struct strlist argv = {0}, env = {0};
  char *err = NULL;
  if (s->entrypoint) subst_item(s->entrypoint, s->steps_dir, &argv, &err);
  for (int i = 0; i < s->nargs && !err; i++) subst_item(s->args[i], s->steps_dir, &argv, &err);
  for (int i = 0; environ[i] && !err; i++) {
    char *v = strstr(environ[i], "$(steps.") ? subst_string(environ[i], s->steps_dir, &err) : environ[i];
    if (v) strlist_add(&env, v);
  }
  if (err || argv.n == 0) {
    warnx_("%s", err ? err : "the command is empty after step-result substitution");
    return NULL;
  }
  for (size_t i = 0; i < argv.n; i++) argv.v[i] = subst_artifacts_in(argv.v[i], s->steps_dir);
  for (size_t i = 0; i < env.n; i++) env.v[i] = subst_artifacts_in(env.v[i], s->steps_dir);
  if (argv.n > 0) argv.v[0] = script_with_artifacts(s, argv.v[0]);
  strlist_add(&env, NULL);
  env.n--;
  *envp = env.v;
  return argv.v;
}

/* ------------------------------------------------------------------ outcome */

/* The step was skipped because an earlier step failed. */
static int skip(const struct step *s, struct msg *m) {
  format_time(m->started, sizeof m->started);
  msg_add(m, "StartedAt", m->started, strlen(m->started), TYPE_INTERNAL);
  msg_add(m, "Reason", "Skipped", 7, TYPE_INTERNAL);
  write_post(s, 0);
  msg_write(m, s->term_path);
  warnx_("Skipping step because a previous step failed");
  return 1;
}

/* The step's when expressions are false (Tekton: post file, exitCode 0, Reason=Skipped, exit 0, no results). */
static int skip_by_when(const struct step *s, struct msg *m) {
  msg_add(m, "Reason", "Skipped", 7, TYPE_INTERNAL);
  write_exit_code(s, 0);
  write_post(s, 1);
  msg_write(m, s->term_path);
  warnx_("Step was skipped due to when expressions were evaluated to false.");
  return 0;
}

/* Adds an artifacts file (Tekton's provenance.json) to the message, keyed by its path, when the step wrote one. */
static void add_artifacts_file(struct msg *m, const char *path, int type) {
  size_t len = 0;
  char *data = read_file(path, &len);
  if (!data) return;
  msg_add(m, path, data, len, type);
  free(data);
}

/* The step's artifacts (<meta>/artifacts/provenance.json) and the Task's (/tekton/artifacts/provenance.json). */
static void add_artifacts(const struct step *s, struct msg *m) {
  if (s->meta_dir) {
    char *path = str_printf("%s/artifacts/provenance.json", s->meta_dir);
    add_artifacts_file(m, path, TYPE_STEP_ARTIFACTS);
    free(path);
  }
  add_artifacts_file(m, TASK_ARTIFACTS_FILE, TYPE_TASK_ARTIFACTS);
}

/* Records the outcome of the command and returns the helper's exit code. */
static int finish(const struct step *s, struct msg *m, int code, int timed_out) {
  int ok = code == 0, exit_code = code;
  char v[16];
  if (g_cancelled) {
    warnx_("step cancelled: the TaskRun was cancelled (keep-pod-on-cancel)");
    msg_add(m, "Reason", "Cancelled", 9, TYPE_INTERNAL);
    ok = 0;
    exit_code = 1;
  } else if (timed_out) {
    warnx_("step timed out after %s", s->timeout);
    msg_add(m, "Reason", "TimeoutExceeded", 15, TYPE_INTERNAL);
    ok = 0;
    exit_code = 1;
  } else if (g_term_sig) {
    ok = 0;
    exit_code = 128 + g_term_sig;
  } else if (code != 0 && s->on_error && strcmp(s->on_error, "continue") == 0) {
    msg_add(m, "ExitCode", v, (size_t)snprintf(v, sizeof v, "%d", code), TYPE_INTERNAL);
    ok = 1;
    exit_code = 0;
  }
  write_exit_code(s, code);
  /* with results-from: sidecar-logs the results sidecar reports results, not the termination message */
  int to_message = !s->result_from || strcmp(s->result_from, "sidecar-logs") != 0;
  if (to_message) msg_add_results(m, s->results_dir, s->results, TYPE_TASK_RESULT);
  if (s->meta_dir && to_message) {
    char *dir = str_printf("%s/results", s->meta_dir);
    msg_add_results(m, dir, s->step_results, TYPE_STEP_RESULT);
    free(dir);
  }
  add_artifacts(s, m);
  if (msg_write(m, s->term_path) == 1) {
    ok = 0;
    exit_code = 1;
  }
  /* onFailure breakpoint: the failed step stays up until the user's debug script says how it ends */
  if (!ok && flag_on(s->breakpoint_on_failure) && !g_cancelled && !g_term_sig) return debug_on_failure(s->post_file, exit_code);
  write_post(s, ok);
  return exit_code;
}

/* Step mode: [flags] [--] command [args...]. */
int cmd_step(int argc, char **argv) {
  struct step s = {0};
  struct msg m = {{0}, 0, {0}};
  s.results_dir = "/tekton/results";
  s.steps_dir = "/tekton/steps";
  if (parse_flags(argc, argv, &s) != 0 || validate(&s) != 0) return 2;
  if (s.meta_dir) {
    for (int k = 0; k < 2; k++) {
      char *dir = str_printf(k == 0 ? "%s/results" : "%s/artifacts", s.meta_dir);
      if (mkdir_p(dir, 0755) != 0) warnx_("cannot create %s: %s", dir, strerror(errno));
      free(dir);
    }
  }
  creds_init();
  int need_content = s.wait_file_content && strcmp(s.wait_file_content, "false") != 0;
  if (s.wait_file && *s.wait_file && wait_for(s.wait_file, need_content) == SKIP) return skip(&s, &m);
  if (cancel_requested()) return skip(&s, &m);
  int before_failed = flag_on(s.debug_before_step) && debug_before_step(s.post_file) != 0;
  format_time(m.started, sizeof m.started);
  msg_add(&m, "StartedAt", m.started, strlen(m.started), TYPE_INTERNAL);
  if (before_failed) {
    /* failed by debug-beforestep-fail-continue: ends now, not at the onFailure breakpoint (as Tekton) */
    s.breakpoint_on_failure = NULL;
    return finish(&s, &m, 1, 0);
  }
  char *err = NULL;
  int allow = when_allows(s.when_expressions, s.steps_dir, &err);
  if (allow == 0) return skip_by_when(&s, &m);
  if (allow < 0) {
    warnx_("%s", err);
    return finish(&s, &m, 1, 0);
  }
  char **envp = NULL, **cmd = substitute(&s, &envp);
  if (!cmd) return finish(&s, &m, 1, 0);
  install_chld_handler();
  int timed_out = 0;
  int code = run_child(cmd, envp, s.stdout_path, s.stderr_path, s.timeout_ns, &timed_out);
  return finish(&s, &m, code, timed_out);
}
