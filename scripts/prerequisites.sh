#!/usr/bin/env bash
# Checks what tektite needs on this machine and, with --install, installs what is missing with apt-get
# (Debian/Ubuntu; through sudo when not root). Exits 0 when everything required is there, 1 otherwise, and says
# what to do. Required: Node >= 20.11 with npm, a C compiler with a static libc (builds the step helper during
# `npm ci`), bubblewrap that may create user namespaces (the host runtime). Recommended: passt (steps' outbound
# network). Optional: podman (--runtime podman).
set -uo pipefail

install=0
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (use --install or --help)" >&2; exit 2 ;;
  esac
done

have() { command -v "$1" >/dev/null 2>&1; }

node_ok() {
  have node && have npm && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=11)?0:1)' 2>/dev/null
}

cc_ok() {
  local cc="${CC:-}" dir
  if [ -z "$cc" ]; then if have musl-gcc; then cc=musl-gcc; else cc=cc; fi; fi
  have "$cc" || return 1
  dir=$(mktemp -d) || return 1
  printf 'int main(void){return 0;}\n' > "$dir/t.c"
  "$cc" -static -o "$dir/t" "$dir/t.c" >/dev/null 2>&1
  local rc=$?
  rm -rf "$dir"
  return $rc
}

bwrap_installed() { have bwrap; }
bwrap_works() { bwrap --unshare-user --unshare-net --ro-bind / / true >/dev/null 2>&1; }
pasta_ok() { have pasta; }
podman_ok() { have podman; }

# name | check | Debian packages | required?
checks=(
  "Node >= 20.11 and npm|node_ok|nodejs npm|required"
  "a C compiler with a static libc (the step helper)|cc_ok|musl-tools|required"
  "bubblewrap (the host runtime)|bwrap_installed|bubblewrap|required"
  "passt (steps' outbound network on the host runtime)|pasta_ok|passt|recommended"
  "podman (--runtime podman, real container images)|podman_ok|podman|optional"
)

missing_pkgs=()
report() {
  local failed=0 line name check pkgs need
  for line in "${checks[@]}"; do
    IFS='|' read -r name check pkgs need <<<"$line"
    if "$check"; then
      printf '  ok       %s\n' "$name"
    else
      printf '  missing  %s  (%s; Debian/Ubuntu package: %s)\n' "$name" "$need" "$pkgs"
      [ "$need" = optional ] || missing_pkgs+=($pkgs)
      [ "$need" = required ] && failed=1
    fi
  done
  return $failed
}

echo "tektite prerequisites:"
report
status=$?

if [ $install -eq 1 ] && [ ${#missing_pkgs[@]} -gt 0 ]; then
  if ! have apt-get; then
    echo "cannot install: apt-get not found. Install these by hand: ${missing_pkgs[*]}" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if have sudo; then sudo=(sudo); else echo "cannot install: not root and no sudo. As root run: apt-get install -y ${missing_pkgs[*]}" >&2; exit 1; fi
  fi
  echo "installing: ${missing_pkgs[*]}"
  "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null
  echo "tektite prerequisites after installing:"
  missing_pkgs=()
  report
  status=$?
fi

if bwrap_installed && ! bwrap_works; then
  status=1
  echo "bubblewrap cannot create a user namespace here, so the host runtime cannot sandbox steps." >&2
  echo "  On Ubuntu 24.04 and later, AppArmor restricts them: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0" >&2
  echo "  Elsewhere: sudo sysctl kernel.unprivileged_userns_clone=1 (or user.max_user_namespaces > 0); or use --runtime podman." >&2
fi

if [ $status -ne 0 ]; then
  if ! node_ok; then
    echo "Node 20.11 or later is needed (Debian 13 and Ubuntu 24.04 ship it as nodejs; older releases: nodejs.org or nvm)." >&2
  fi
  if [ $install -eq 0 ]; then
    echo "Run scripts/prerequisites.sh --install to install the missing packages with apt-get." >&2
  fi
  exit 1
fi
echo "ready: npm ci && npx tkt run -f examples/hello-world.yaml --runtime host"
