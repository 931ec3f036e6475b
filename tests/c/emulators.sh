# Sourced by the C test scripts: starts the two emulators test_abi.c takes
# (the API page's samples, and a slow one for calls that wind down after they
# were cancelled) and stops them on exit. Needs $release and $out; sets
# $samples and $slow to their base URLs.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_emulator() { # NAME ARGS...: its base URL in $url
  local name=$1; shift
  "$release/ges-emulator" --listen 127.0.0.1:0 "$@" > "$out/$name.out" 2> "$out/$name.err" &
  pids+=($!)
  for _ in $(seq 300); do grep -q "^http" "$out/$name.out" 2>/dev/null && break; sleep 0.1; done
  url=$(head -n1 "$out/$name.out")
  case "$url" in http*) ;; *) echo "the emulator did not start: $(cat "$out/$name.out" "$out/$name.err")" >&2; exit 1 ;; esac
}
start_emulator emulator
samples=$url
start_emulator slow --backups 2000 --latency-ms 300
slow=$url
