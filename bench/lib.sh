# Shared by the bench scripts (sourced, not run).
# The work folder defaults to tmpfs (/dev/shm) so the tools are measured, not
# the disk (a VM disk with `discard` adds tens of ms of kernel time to every
# tool alike); set BENCH_WORK=some/dir to measure on a real disk.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
root=$(dirname "$here")
default_work=$here/work
[ -d /dev/shm ] && default_work=/dev/shm/goldpath-bench
work=${BENCH_WORK:-$default_work}

# sizes FILES...: the sizes asked for on the command line, else 100 and 1000.
sizes() { if [ $# -gt 0 ]; then echo "$@"; else echo 100 1000; fi; }

# need TOOL...: exit 2 naming the first tool that is missing.
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool is not installed (see the header of this script)" >&2; exit 2; }
  done
}
