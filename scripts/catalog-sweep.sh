#!/bin/bash
# Every YAML of a Tekton catalog checkout through `kubectl create --dry-run=server` against the API server of
# $KUBECONFIG (e.g. a `tkt up`): prints each refusal and a count by kind of refusal (docs/catalog.md).
#   scripts/catalog-sweep.sh <checkout> [main|examples] [dir ...]
#   main: the YAML under the dirs (default: task pipeline stepaction) outside tests/, samples/ and examples/;
#   examples: the YAML inside those. kustomization.yaml files are left out (kustomize input, not objects).
set -u
root=${1:?usage: scripts/catalog-sweep.sh <checkout> [main|examples] [dir ...]}
which=${2:-main}
shift $(( $# >= 2 ? 2 : 1 ))
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(task pipeline stepaction)
cd "$root" || exit 2
if [ "$which" = main ]; then
  mapfile -t files < <(find "${dirs[@]}" -name '*.yaml' ! -name kustomization.yaml ! -path '*/tests/*' ! -path '*/samples/*' ! -path '*/examples/*' 2>/dev/null | sort)
else
  mapfile -t files < <(find "${dirs[@]}" -name '*.yaml' ! -name kustomization.yaml \( -path '*/tests/*' -o -path '*/samples/*' -o -path '*/examples/*' \) 2>/dev/null | sort)
fi
ok=0; refused=()
for f in "${files[@]}"; do
  if msg=$(kubectl create --dry-run=server -f "$f" -o name 2>&1 >/dev/null) && [ -z "$msg" ]; then ok=$((ok + 1)); else
    refused+=("$f :: $(echo "$msg" | tr '\n' ' ' | cut -c1-300)")
  fi
done
printf '%s\n' "${refused[@]}"
echo "files: ${#files[@]}, accepted whole: $ok, refused (at least one document): ${#refused[@]}"
printf '%s\n' "${refused[@]}" | sed -E 's/.* :: //' | sed -E \
  -e 's/.*PipelineResources were removed.*/PipelineResources (removed from Tekton)/' \
  -e 's/.*no matches for kind "([^"]+)" in version "([^"]+)".*/no such kind: \1 (\2)/' \
  -e 's/.*namespaces "[^"]+" not found.*/namespace not found/' \
  -e 's/.*a valid label must be.*/label value with spaces/' \
  -e 's/.*illegal base64 data.*/Secret data not base64/' \
  -e 's/.*apiVersion not set, kind not set.*/not a Kubernetes object (fixtures)/' \
  -e 's/.*invalid object to validate.*/not a Kubernetes object (fixtures)/' \
  -e 's/.*error converting YAML to JSON.*/not YAML kubectl can parse/' \
  -e 's/.*unable to decode.*/not YAML kubectl can parse/' \
  -e 's/.*(kind ClusterTask was removed.*)/taskRef kind ClusterTask/' \
  -e 's/.*unknown field "([^"]+)".*/unknown field \1/' \
  -e 's/.*required field "([^"]+)" is missing.*/required field \1 missing/' \
  -e 's/.*which is not declared.*/undeclared param/' | sort | uniq -c | sort -rn
