#!/usr/bin/env bash
# Serve a whole class from one machine: K replicas of the app behind Debian's HAProxy.
#
#   bash deploy/classroom.sh --replicas 2 --port 8501 --bind 0.0.0.0   # students open http://<this machine>:8501
#   bash deploy/classroom.sh --replicas 3 --port 8600 --state /tmp/class.state   # this machine only
#   sudo bash deploy/classroom.sh --user nobody --python /opt/venv/bin/python --bind 0.0.0.0
#
# Starts K `streamlit run app.py` (the project's .streamlit/config.toml) on free loopback ports,
# waits until each answers /_stcore/health, then runs HAProxy on --bind:--port with cookie-based
# sticky sessions (a student's page and websocket stay on one replica) and health checks on
# /_stcore/health (a dead replica's students are sent to a live one). The HAProxy config is
# generated from deploy/haproxy.cfg.template into a temporary folder.
#
# Stays in the foreground; Ctrl-C or SIGTERM stops everything it started, by pid. A replica that
# dies is reported and left down (HAProxy routes around it); if HAProxy dies, everything stops.
#
# Safe defaults (docs/security.md): HAProxy listens on 127.0.0.1 (this machine only) unless --bind
# says otherwise; started by root, it refuses to run the app as root: --user names the account
# that runs the replicas and HAProxy (setpriv drops to it: no groups, no new privileges), which must
# be able to read the app and run its Python. --user root is the explicit way to accept the risk.
#
# Options:
#   --replicas K     app processes (default 2; one per core is a good start)
#   --port P         HAProxy's port (default 8501)
#   --bind ADDR      HAProxy's address (default 127.0.0.1: this machine only; 0.0.0.0: the class's network)
#   --user USER      run the replicas and HAProxy as USER (needed when started as root)
#   --state FILE     write "replica NAME PID PORT", "haproxy PID PORT" lines, then "ready"
#   --logs DIR       keep the replicas' logs in DIR (default: a temporary folder, removed at exit)
#   --python EXE     the Python that runs streamlit (default: python3)
# Needs: haproxy (apt-get install haproxy), the app's requirements (pip install -r requirements.txt).
set -euo pipefail

replicas=2
port=8501
bind=127.0.0.1
user=""
state=""
logs=""
python=python3

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --bind) bind="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --state) state="$2"; shift 2 ;;
    --logs) logs="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "classroom.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$replicas" in ''|*[!0-9]*) echo "--replicas must be a number" >&2; exit 2 ;; esac
case "$port" in ''|*[!0-9]*) echo "--port must be a number" >&2; exit 2 ;; esac
if [ "$replicas" -lt 1 ] || [ "$replicas" -gt 32 ]; then echo "--replicas must be 1..32" >&2; exit 2; fi

# Who runs the app: never root unless asked for by name.
as_user=()
drop_uid=""
if [ "$(id -u)" = 0 ]; then
  if [ -z "$user" ]; then
    echo "classroom.sh: refusing to run the app as root. Pass --user USER, an account that can read the app and run its Python (e.g. --user nobody with --python /opt/venv/bin/python), or --user root to accept the risk." >&2
    exit 2
  fi
  if ! drop_uid=$(id -u "$user" 2>/dev/null); then echo "classroom.sh: --user $user: no such user" >&2; exit 2; fi
  if [ "$drop_uid" != 0 ]; then
    SETPRIV=$(command -v setpriv || true)
    if [ -z "$SETPRIV" ]; then echo "classroom.sh: setpriv is missing (apt-get install util-linux)" >&2; exit 1; fi
    as_user=("$SETPRIV" "--reuid=$drop_uid" "--regid=$(id -g "$user")" --clear-groups --no-new-privs --)
  else
    drop_uid=""
  fi
elif [ -n "$user" ] && [ "$(id -u "$user" 2>/dev/null || echo none)" != "$(id -u)" ]; then
  echo "classroom.sh: --user $user needs root (to switch users); without it the app runs as $(id -un)" >&2
  exit 2
fi

HAPROXY=$(command -v haproxy || true)
[ -z "$HAPROXY" ] && [ -x /usr/sbin/haproxy ] && HAPROXY=/usr/sbin/haproxy
if [ -z "$HAPROXY" ]; then
  echo "classroom.sh: haproxy is missing: apt-get install haproxy (bash scripts/test.sh installs it)" >&2
  exit 1
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/classroom.XXXXXX")"
pids=()
if [ -n "$logs" ]; then mkdir -p "$logs"; logs="$(cd "$logs" && pwd)"; else logs="$work"; fi

log() { echo "classroom.sh: $*" >&2; }

home="${HOME:-/tmp}"
if [ -n "$drop_uid" ]; then
  # the dropped user reads HAProxy's config here and gets a HOME of its own (nothing else is writable)
  chmod 755 "$work"
  home="$work/home"
  mkdir -p "$home" && chown "$drop_uid:$(id -g "$user")" "$home" && chmod 700 "$home"
  log "the replicas and HAProxy run as $user (uid $drop_uid)"
elif [ "$(id -u)" = 0 ]; then
  log "warning: the replicas and HAProxy run as root (--user root)"
fi

cleanup() {
  trap - INT TERM EXIT
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do  # up to 10 s for a clean exit
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  [ -n "$state" ] && rm -f "$state"
  log "stopped"
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

healthy() {  # healthy PORT: /_stcore/health answers "ok"
  "$python" - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=2) as r:
        sys.exit(0 if r.read().strip() == b"ok" else 1)
except Exception:
    sys.exit(1)
PY
}

[ -n "$state" ] && : > "$state"
names=(); ports=(); servers=""
cd "$root"
for i in $(seq 1 "$replicas"); do
  p=$(free_port)
  name="r$i"
  HOME="$home" "${as_user[@]}" "$python" -m streamlit run app.py \
    --server.headless true --server.address 127.0.0.1 --server.port "$p" \
    --server.fileWatcherType none --browser.gatherUsageStats false \
    >"$logs/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid"); names+=("$name"); ports+=("$p")
  servers+="    server $name 127.0.0.1:$p check cookie $name"$'\n'
  log "replica $name: pid $pid, port $p (log $logs/$name.log)"
done

for i in "${!ports[@]}"; do
  deadline=$((SECONDS + 120))
  until healthy "${ports[$i]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      log "replica ${names[$i]} did not start:"; tail -n 30 "$logs/${names[$i]}.log" >&2; exit 1
    fi
    sleep 0.3
  done
  [ -n "$state" ] && echo "replica ${names[$i]} ${pids[$i]} ${ports[$i]}" >> "$state"
done

cfg="$work/haproxy.cfg"
template="$root/deploy/haproxy.cfg.template"
awk -v bind="$bind" -v port="$port" -v servers="$servers" '
  /@SERVERS@/ { printf "%s", servers; next }
  { gsub(/@BIND@/, bind); gsub(/@PORT@/, port); print }
' "$template" > "$cfg"
chmod 644 "$cfg"
"$HAPROXY" -c -f "$cfg" >"$work/check.log" 2>&1 || { log "invalid HAProxy config:"; cat "$work/check.log" "$cfg" >&2; exit 1; }
"${as_user[@]}" "$HAPROXY" -db -f "$cfg" &
hpid=$!
pids+=("$hpid")
log "haproxy: pid $hpid on $bind:$port"

deadline=$((SECONDS + 30))
until "$python" -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $port)))" 2>/dev/null; do
  if ! kill -0 "$hpid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then log "haproxy did not start"; exit 1; fi
  sleep 0.2
done
if [ -n "$state" ]; then
  echo "haproxy $hpid $port" >> "$state"
  echo "ready" >> "$state"
fi
log "ready: http://$bind:$port/ ($replicas replicas)"

# Foreground: report replicas that die; stop everything when HAProxy does.
down=()
while kill -0 "$hpid" 2>/dev/null; do
  for i in "${!names[@]}"; do
    if [ -z "${down[$i]:-}" ] && ! kill -0 "${pids[$i]}" 2>/dev/null; then
      down[$i]=1
      log "replica ${names[$i]} (pid ${pids[$i]}) exited: HAProxy sends its students to the others"
    fi
  done
  sleep 1 &
  wait $! || true
done
log "haproxy exited"
exit 1
