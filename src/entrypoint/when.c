/*
 * Step `when` expressions (Tekton's -when_expressions flag): a JSON list of {input, operator, values}.
 * Step results in input and values are substituted first (a value that is exactly an array result's [*]
 * becomes its items); the step runs only when every expression holds (`in`: input is one of the values,
 * `notin`: it is none of them). CEL expressions are evaluated by the controller before the pod is made and
 * arrive here as input/operator/values; one that still has a `cel` key is refused.
 */
#include "entrypoint.h"

#include <stdlib.h>
#include <string.h>

/* Evaluates one expression; 1 true, 0 false, -1 error (*err set). */
static int eval_one(const struct jval *we, const char *steps_dir, char **err) {
  const struct jval *cel = json_get(we, "cel"), *in = json_get(we, "input"), *op = json_get(we, "operator");
  const struct jval *vals = json_get(we, "values");
  if (cel && cel->t == J_STR && cel->n > 0) {
    *err = str_printf("the CEL expression %s was not evaluated before the step started", cel->s);
    return -1;
  }
  if (!op || op->t != J_STR || (strcmp(op->s, "in") != 0 && strcmp(op->s, "notin") != 0)) {
    *err = str_printf("when expression: operator must be in or notin");
    return -1;
  }
  char *input = subst_string(in && in->t == J_STR ? in->s : "", steps_dir, err);
  if (!input) return -1;
  struct strlist values = {0};
  for (size_t i = 0; vals && vals->t == J_ARR && i < vals->count; i++) {
    if (vals->items[i].t == J_STR && subst_item(vals->items[i].s, steps_dir, &values, err) != 0) break;
  }
  int found = 0;
  for (size_t i = 0; i < values.n; i++) found |= strcmp(values.v[i], input) == 0;
  for (size_t i = 0; i < values.n; i++) free(values.v[i]);
  free(values.v);
  free(input);
  if (*err) return -1;
  return strcmp(op->s, "in") == 0 ? found : !found;
}

/*
 * Decides whether the step runs: 1 yes, 0 skip, -1 error (*err set). An empty or absent list allows it.
 */
int when_allows(const char *json, const char *steps_dir, char **err) {
  *err = NULL;
  if (!json || !*json) return 1;
  struct jval list;
  if (json_parse(json, strlen(json), &list) != 0 || list.t != J_ARR) {
    json_free(&list);
    *err = str_printf("-when_expressions is not a JSON list of when expressions: %s", json);
    return -1;
  }
  int allow = 1;
  for (size_t i = 0; i < list.count && allow == 1; i++) allow = eval_one(&list.items[i], steps_dir, err);
  json_free(&list);
  return allow;
}
