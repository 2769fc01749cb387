/*
 * TaskRun debug breakpoints (Tekton's debug.md), in step mode:
 *   -breakpoint_on_failure: a failed step does not signal the next one; it waits until the user runs
 *     /tekton/debug/scripts/debug-continue (the script writes <post_file> and "0" to <post_file>.breakpointexit)
 *     or debug-fail-continue (<post_file>.err and "1"), and exits with that code.
 *   -debug_before_step: before running, the step waits for <post_file>.beforestepexit (debug-beforestep-continue:
 *     run it) or <post_file>.beforestepexit.err (debug-beforestep-fail-continue: fail it without running).
 */
#include "entrypoint.h"

#include <stdlib.h>
#include <string.h>

int debug_on_failure(const char *post_file, int code) {
  if (!post_file) return code;
  char *exit_file = str_printf("%s.breakpointexit", post_file);
  warnx_("debug onFailure breakpoint: the step failed with exit code %d and waits for you. Enter it (kubectl exec "
         "-it POD -c CONTAINER -- sh, or tkt taskrun exec NAME -it -- sh), then run "
         "/tekton/debug/scripts/debug-continue to mark it succeeded and go on, or "
         "/tekton/debug/scripts/debug-fail-continue to mark it failed",
         code);
  wait_for(exit_file, 1);
  size_t len = 0;
  char *text = read_file(exit_file, &len);
  int rc = text ? atoi(text) : code;
  free(text);
  free(exit_file);
  return rc;
}

int debug_before_step(const char *post_file) {
  if (!post_file) return 0;
  char *go = str_printf("%s.beforestepexit", post_file);
  warnx_("debug beforeSteps breakpoint: the step waits before it runs. Run "
         "/tekton/debug/scripts/debug-beforestep-continue in it to run it, or "
         "/tekton/debug/scripts/debug-beforestep-fail-continue to fail it without running");
  int st = wait_for(go, 0);
  free(go);
  if (st == SKIP) warnx_("debug beforeSteps breakpoint: the step was failed by debug-beforestep-fail-continue");
  return st == SKIP ? 1 : 0;
}
