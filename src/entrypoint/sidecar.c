/*
 * `sidecar-log-results`: the results sidecar of results-from: sidecar-logs (Tekton's sidecarlogresults).
 * Waits until every step has written its post file (or one wrote .err), then prints each result that exists as
 * one JSON line {"name","value","type"} on stdout: task results ("task") from -results-dir, step results
 * ("step", named <step container>.<result>) from <steps-dir>/<step container>/results. The controller reads
 * these lines from the container's log, so results are not bound by the 4 KiB termination message.
 *
 *   entrypoint sidecar-log-results [-results-dir D] [-result-names a,b] [-step-results JSON] [-run-dir D] [-steps-dir D]
 */
#include "entrypoint.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct slr {
  const char *results_dir, *result_names, *step_results, *run_dir, *steps_dir;
};

static int parse_slr_flags(int argc, char **argv, struct slr *o) {
  for (int i = 1; i < argc; i++) {
    const char *name = argv[i] + (argv[i][0] == '-' && argv[i][1] == '-' ? 2 : 1), **slot = NULL;
    if (strcmp(name, "results-dir") == 0) slot = &o->results_dir;
    else if (strcmp(name, "result-names") == 0) slot = &o->result_names;
    else if (strcmp(name, "step-results") == 0) slot = &o->step_results;
    else if (strcmp(name, "run-dir") == 0) slot = &o->run_dir;
    else if (strcmp(name, "steps-dir") == 0) slot = &o->steps_dir;
    if (!slot || i + 1 >= argc) {
      warnx_("sidecar-log-results: bad argument %s", argv[i]);
      return -1;
    }
    *slot = argv[++i];
  }
  return 0;
}

/* 1 when every <run_dir>/<i>/out exists or some .err does (Tekton's waitForStepsToFinish). */
static int steps_finished(const char *run_dir) {
  DIR *d = opendir(run_dir);
  if (!d) return 1;
  int done = 1;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.') continue;
    char *out = str_printf("%s/%s/out", run_dir, e->d_name), *err = str_printf("%s.err", out);
    int has_out = access(out, F_OK) == 0, has_err = access(err, F_OK) == 0;
    free(out);
    free(err);
    if (has_err) {
      done = 1;
      break;
    }
    if (!has_out) done = 0;
  }
  closedir(d);
  return done;
}

static void print_result(const char *dir, const char *file, const char *name, const char *type) {
  char *path = str_printf("%s/%s", dir, file);
  size_t n;
  char *val = read_file(path, &n);
  free(path);
  if (!val) return;
  struct buf b = {0};
  buf_puts(&b, "{\"name\":");
  json_str(&b, name, strlen(name));
  buf_puts(&b, ",\"value\":");
  json_str(&b, val, n);
  buf_puts(&b, ",\"type\":\"");
  buf_puts(&b, type);
  buf_puts(&b, "\"}\n");
  fwrite(b.p, 1, b.n, stdout);
  free(b.p);
  free(val);
}

static void print_step_results(const struct slr *o) {
  struct jval map = {0};
  if (!o->step_results || json_parse(o->step_results, strlen(o->step_results), &map) != 0 || map.t != J_OBJ) {
    if (o->step_results && *o->step_results) warnx_("sidecar-log-results: -step-results is not a JSON map");
    json_free(&map);
    return;
  }
  for (size_t i = 0; i < map.count; i++) {
    char *dir = str_printf("%s/%s/results", o->steps_dir, map.keys[i]);
    for (size_t j = 0; map.items[i].t == J_ARR && j < map.items[i].count; j++) {
      const char *r = map.items[i].items[j].s;
      if (!r) continue;
      char *name = str_printf("%s.%s", map.keys[i], r);
      print_result(dir, r, name, "step");
      free(name);
    }
    free(dir);
  }
  json_free(&map);
}

int cmd_sidecar_log_results(int argc, char **argv) {
  struct slr o = {"/tekton/results", "", "", "/tekton/run", "/tekton/steps"};
  if (parse_slr_flags(argc, argv, &o) != 0) return 2;
  struct timespec tick = {0, 10 * 1000 * 1000};
  while (!steps_finished(o.run_dir)) nanosleep(&tick, NULL);
  char *names = str_printf("%s", o.result_names);
  for (char *save = NULL, *r = strtok_r(names, ",", &save); r; r = strtok_r(NULL, ",", &save)) print_result(o.results_dir, r, r, "task");
  free(names);
  print_step_results(&o);
  fflush(stdout);
  return 0;
}
